/* Fuzz target: the smstrace parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_smstrace
#include "fuzz_text_format.h"
