/* Fuzz target: the eventxml parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_eventxml
#include "fuzz_text_format.h"
