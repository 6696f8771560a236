/* A small in-memory signature database for the signature, matcher and
 * diagnoser tests. */
#ifndef TD_SIGFIXTURE_H
#define TD_SIGFIXTURE_H

#include "sigdb.h"

#define TD_TEST_SCHEMA TD_TEST_SOURCE_DIR "/signatures/tlsdiag-signatures.xsd"

/* Loads one document (named "test.xml") plus the fixture's remedies and
 * references; returns the status and fills *db / err. */
int td_fixture_load(const char *doc, struct td_sigdb **db, struct td_err *err);
/* The fixture database used by the matcher and diagnoser tests. */
struct td_sigdb *td_fixture_db(void);

#endif
