/* Fuzz target: the cmtrace parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_cmtrace
#include "fuzz_text_format.h"
