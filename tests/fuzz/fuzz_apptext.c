/* Fuzz target: the apptext parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_apptext
#include "fuzz_text_format.h"
