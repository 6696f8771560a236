/* Fuzz target: the W3C (IIS, HTTP.sys) log parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_w3c
#include "fuzz_text_format.h"
