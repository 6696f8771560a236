/* Fuzz target: the eventcsv parser (see fuzz_text_format.h). */
#define FUZZ_PARSER td_parser_eventcsv
#include "fuzz_text_format.h"
