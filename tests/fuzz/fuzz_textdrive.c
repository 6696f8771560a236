/* Fuzz target: the text driver as a whole, as for any input of a run:
 * encoding detection (BOMs, UTF-16 without one, legacy code pages),
 * decoding, format sniffing and the windows (see fuzz_text_format.h). */
#define FUZZ_SNIFF
#include "fuzz_text_format.h"
