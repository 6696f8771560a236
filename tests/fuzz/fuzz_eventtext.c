/* Fuzz target: the eventtext parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_eventtext
#include "fuzz_text_format.h"
