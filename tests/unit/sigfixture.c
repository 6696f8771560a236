/* Test signature database (see sigfixture.h). */
#include "sigfixture.h"

#include <check.h>
#include <string.h>

static const char common[] =
	"<signatures family=\"common\">\n"
	"  <reference key=\"REF-A\" url=\"https://example.invalid/a\">Reference A</reference>\n"
	"  <reference key=\"REF-B\">Reference B</reference>\n"
	"  <remedy id=\"fix-client\" phase=\"client\"><title>Fix the client</title>\n"
	"    <step kind=\"registry\">Set it.\n"
	"      <registry key=\"HKLM\\SOFTWARE\\X\" name=\"V\" type=\"REG_DWORD\" data=\"1\"/>\n"
	"    </step><ref key=\"REF-A\"/></remedy>\n"
	"  <remedy id=\"fix-server\" phase=\"server\"><title>Fix the server</title>\n"
	"    <step kind=\"update\" kb=\"KB1\">Update it.</step></remedy>\n"
	"  <remedy id=\"fix-last\" phase=\"last\"><title>Disable legacy last</title>\n"
	"    <step>Then disable.</step></remedy>\n"
	"  <sql-builds>\n"
	"    <version major=\"9.0\" name=\"SQL Server 2005\" tls12=\"none\" advice=\"Upgrade.\"/>\n"
	"    <version major=\"11.0\" name=\"SQL Server 2012\" tls12=\"lines\" advice=\"Install SP4.\">\n"
	"      <line level=\"RTM-SP1\" branch=\"any\" from=\"11.0.1000.0\" to=\"11.0.5057.999999\"/>\n"
	"      <line level=\"SP2\" branch=\"GDR\" from=\"11.0.5058.0\" to=\"11.0.5499.999999\" tls12=\"11.0.5352.0\"/>\n"
	"      <line level=\"SP2\" branch=\"CU\" from=\"11.0.5500.0\" to=\"11.0.6019.999999\" tls12=\"11.0.5644.2\"/>\n"
	"      <line level=\"SP4\" branch=\"any\" from=\"11.0.7001.0\" to=\"11.0.9999.999999\" tls12=\"11.0.7001.0\"/>\n"
	"    </version>\n"
	"    <version major=\"13.0\" name=\"SQL Server 2016\" tls12=\"all\"/>\n"
	"    <affected build=\"10.50.6537.0\" fixed=\"10.50.6542.0\"/>\n"
	"  </sql-builds>\n"
	"</signatures>\n";

int td_fixture_load(const char *doc, struct td_sigdb **db, struct td_err *err)
{
	const char *docs[] = { common, doc };
	size_t lens[] = { strlen(common), strlen(doc) };
	const char *names[] = { "common.xml", "test.xml" };
	return td_sigdb_load_memory(docs, lens, names, 2, TD_TEST_SCHEMA, db, err);
}

static const char fixture[] =
	"<signatures family=\"test\">\n"
	/* A generic signature and a specific one superseding it. */
	"  <signature id=\"generic-receive\" kb=\"E03\" severity=\"error\">\n"
	"    <title>Generic receive</title><cause>Generic cause.</cause>\n"
	"    <trigger><pattern literal=\"on a receive\">error occurred on a receive</pattern></trigger>\n"
	"    <remedy ref=\"fix-client\"/><remedy ref=\"fix-last\"/><ref key=\"REF-A\"/>\n"
	"    <example>An unexpected error occurred on a receive.</example>\n"
	"    <counterexample>An unexpected error occurred on a send.</counterexample>\n"
	"  </signature>\n"
	"  <signature id=\"specific-receive\" kb=\"A04\" severity=\"error\" confidence=\"high\">\n"
	"    <title>Specific receive</title><cause>Specific cause.</cause>\n"
	"    <scope sources=\"smstrace plain\" component=\"^SMS_SRS\"/>\n"
	"    <scope sources=\"plain\" file=\"srsrp\\.log$\"/>\n"
	"    <trigger><pattern literal=\"on a receive\">error occurred on a receive</pattern></trigger>\n"
	"    <supersedes ref=\"generic-receive\"/>\n"
	"    <remedy ref=\"fix-client\"/><remedy ref=\"fix-last\"/>\n"
	"    <example source=\"smstrace\" component=\"SMS_SRS_REPORTING_POINT\">error occurred on a receive</example>\n"
	"    <counterexample source=\"plain\" file=\"other.log\">error occurred on a receive</counterexample>\n"
	"  </signature>\n"
	/* Code + text, a discriminator, captures. */
	"  <signature id=\"alert-code\" kb=\"D16\" severity=\"warning\" confidence=\"low\">\n"
	"    <title>Alert</title><cause>Alert cause.</cause>\n"
	"    <trigger><code value=\"0x80090331\"/><pattern literal=\"state\">State (?&lt;state&gt;\\d+)</pattern></trigger>\n"
	"    <support><pattern literal=\"handshake failed\">handshake failed</pattern></support>\n"
	"    <unless><pattern literal=\"state 99\">State 99\\b</pattern></unless>\n"
	"    <remedy ref=\"fix-server\"/><remedy ref=\"fix-client\"/>\n"
	"    <example>OS call failed: (80090331). State 56.</example>\n"
	"    <example>error -2146893007 State 58</example>\n"
	"    <counterexample>OS call failed: (80090331). State 99.</counterexample>\n"
	"    <counterexample>OS call failed: (80090332). State 56.</counterexample>\n"
	"  </signature>\n"
	/* A trigger that needs context elsewhere in the same input. */
	"  <signature id=\"needs-context\" kb=\"C01\" severity=\"error\">\n"
	"    <title>Needs context</title><cause>Context cause.</cause>\n"
	"    <trigger><code value=\"10054\"/><pattern literal=\"forcibly closed\">forcibly closed</pattern></trigger>\n"
	"    <require><pattern literal=\"azure backup|obengine\">azure backup|obengine</pattern></require>\n"
	"    <remedy ref=\"fix-client\"/>\n"
	"    <example>OBEngine: 10054: forcibly closed</example>\n"
	"    <counterexample>10054: forcibly closed (no backup context)</counterexample>\n"
	"    <counterexample>forcibly closed</counterexample>\n"
	"  </signature>\n"
	"  <signature id=\"info-only\" kb=\"D01\" severity=\"info\">\n"
	"    <title>Info</title><cause>Info cause.</cause>\n"
	"    <trigger><pattern literal=\"loaded for encryption\">loaded for encryption</pattern></trigger>\n"
	"    <remedy ref=\"fix-server\"/>\n"
	"    <example>certificate was successfully loaded for encryption.</example>\n"
	"    <counterexample>certificate was not loaded</counterexample>\n"
	"  </signature>\n"
	"  <signature id=\"sql-min\" kb=\"D26\" severity=\"error\" confidence=\"high\">\n"
	"    <title>SQL build</title><cause>SQL cause.</cause><check name=\"sql-build-tls12\"/>\n"
	"    <remedy ref=\"fix-server\"/><remedy ref=\"fix-last\"/>\n"
	"  </signature>\n"
	"  <signature id=\"advisory\" kb=\"A05\" severity=\"warning\">\n"
	"    <title>Advisory</title><cause>No log shows it.</cause><evidence>Ask.</evidence>\n"
	"    <remedy ref=\"fix-client\"/>\n"
	"  </signature>\n"
	"</signatures>\n";

struct td_sigdb *td_fixture_db(void)
{
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	int rc = td_fixture_load(fixture, &db, &err);
	ck_assert_msg(rc == TD_OK, "fixture: %s", err.msg);
	return db;
}
