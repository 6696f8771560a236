/* Fuzz target: the svclog parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_svclog
#include "fuzz_text_format.h"
