/* Fuzz target: the plain parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_plain
#include "fuzz_text_format.h"
