/* Fuzz target: the registry export parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_registry
#include "fuzz_text_format.h"
