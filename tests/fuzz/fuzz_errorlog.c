/* Fuzz target: the errorlog parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_errorlog
#include "fuzz_text_format.h"
