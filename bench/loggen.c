/* Synthetic logs for the benchmarks (see loggen.h). */
#include "loggen.h"

#include <stdio.h>
#include <string.h>

static uint32_t rng = 2463534242u;

uint32_t td_gen_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static const char *const cm_messages[] = {
	"Successfully sent location services HTTPS capability message.",
	"Calling back with empty distribution point list",
	"Policy download started for policy {5e2c3a0f-1b47-4f2b-9a3d-7c1e7f2b6d11}",
	"Download of policy CCM_Policy_Policy4 completed (DTS Job ID: {A1B2C3D4-0000-4000-8000-00000000002A})",
	"Raising event: instance of CCM_PolicyAgent_PolicyDownloadSucceeded { ClientID = \"GUID:9C5E1F0A-7B1D-4E55-A31B-4C2F6D9E8B12\"; }",
	"CCM_Scheduler_ScheduledMessage: scheduled message {00000000-0000-0000-0000-000000000021} fired",
	"Sending message to endpoint ClientRegistration: 2048 bytes, priority 3",
	"Retrieved the site code P01 from the management point CM01.contoso.com",
	"State message (state ID: 2) sent for topic type 500 and topic ID {F00BA5E1-0000-4000-9000-000000000001}",
	"Client is set to use HTTPS when available. The current state is 224.",
};

static const char *const tls_messages[] = {
	"[CCMHTTP] ERROR: URL=https://CM01.contoso.com/CCM_Proxy_MutualAuth/72057594037927941, Port=443, Options=1248, Code=12175, Text=ERROR_WINHTTP_SECURE_FAILURE",
	"System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a receive.",
	"*** [08001][18][Microsoft][ODBC SQL Server Driver][DBNETLIB]SSL Security error",
};

static const char *const sql_messages[] = {
	"Starting up database 'tempdb'.",
	"Recovery completed for database model (database ID 3) in 1 second(s) (analysis 0 ms, redo 0 ms, undo 0 ms.) This is an informational message only. No user action is required.",
	"Login succeeded for user 'CONTOSO\\svc-cm'. Connection made using Windows authentication. [CLIENT: 10.0.0.21]",
	"CHECKDB for database 'CM_P01' finished without errors on 2024-03-01 02:00:00.123 (local time). This is an informational message only; no user action is required.",
	"Log was backed up. Database: CM_P01, creation date(time): 2019/05/14(10:22:31), first LSN: 1205:9832:1, last LSN: 1205:9848:1, number of dump devices: 1, device information: (FILE=1, TYPE=DISK: {'E:\\Backup\\CM_P01_log.trn'}). This is an informational message only. No user action is required.",
};

static void stamp(uint64_t i, int *h, int *m, int *s, int *ms)
{
	uint64_t sec = i / 7;
	*h = (int)(sec / 3600 % 24);
	*m = (int)(sec / 60 % 60);
	*s = (int)(sec % 60);
	*ms = (int)(i * 37 % 1000);
}

void td_gen_cmtrace(FILE *f, uint64_t bytes)
{
	fputs("\xEF\xBB\xBF", f);
	uint64_t written = 3;
	for (uint64_t i = 0; written < bytes; i++) {
		int h, m, s, ms;
		stamp(i, &h, &m, &s, &ms);
		uint32_t r = td_gen_random();
		const char *msg = r % 5000 == 0 ? tls_messages[r % 3] : cm_messages[r % 10];
		int type = r % 97 == 0 ? 2 : 1;
		int n = fprintf(f,
				"<![LOG[%s]LOG]!><time=\"%02d:%02d:%02d.%03d+300\" date=\"03-05-2024\" "
				"component=\"CcmMessaging\" context=\"\" type=\"%d\" thread=\"%u\" "
				"file=\"ccmmessaging.cpp:%u\">\r\n",
				msg, h, m, s, ms, type, 1000 + r % 9000, 100 + r % 5000);
		written += (uint64_t)n;
	}
}

void td_gen_smstrace(FILE *f, uint64_t bytes)
{
	uint64_t written = 0;
	for (uint64_t i = 0; written < bytes; i++) {
		int h, m, s, ms;
		stamp(i, &h, &m, &s, &ms);
		uint32_t r = td_gen_random();
		const char *msg = r % 5000 == 0 ? tls_messages[2] : cm_messages[r % 10];
		unsigned tid = 1000 + r % 9000;
		int n = fprintf(f, "%s  $$<SMS Provider><03-05-2024 %02d:%02d:%02d.%03d+300><thread=%u (0x%X)>\r\n",
				msg, h, m, s, ms, tid, tid);
		written += (uint64_t)n;
	}
}

/* ASCII text to UTF-16LE. */
static uint64_t put16(FILE *f, const char *s, size_t n)
{
	char buf[8192];
	uint64_t total = 0;
	while (n) {
		size_t k = n > sizeof(buf) / 2 ? sizeof(buf) / 2 : n;
		for (size_t i = 0; i < k; i++) {
			buf[2 * i] = s[i];
			buf[2 * i + 1] = 0;
		}
		fwrite(buf, 1, 2 * k, f);
		s += k;
		n -= k;
		total += 2 * k;
	}
	return total;
}

void td_gen_errorlog(FILE *f, uint64_t bytes)
{
	fputs("\xFF\xFE", f);
	uint64_t written = 2;
	char line[1024];
	int n = snprintf(line, sizeof(line),
			 "2024-03-05 00:00:00.00 Server      Microsoft SQL Server 2014 (SP3) (KB4022619) - 12.0.6024.0 (X64) \r\n"
			 "\tSep  7 2018 01:37:51 \r\n\tCopyright (c) Microsoft Corporation\r\n"
			 "\tEnterprise Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\r\n\r\n"
			 "2024-03-05 00:00:00.01 Server      UTC adjustment: 1:00\r\n");
	written += put16(f, line, (size_t)n);
	for (uint64_t i = 0; written < bytes; i++) {
		int h, m, s, ms;
		stamp(i, &h, &m, &s, &ms);
		uint32_t r = td_gen_random();
		if (r % 4000 == 0) {
			n = snprintf(line, sizeof(line),
				     "2024-03-05 %02d:%02d:%02d.%02d Logon       Error: 17194, Severity: 16, State: 1.\r\n"
				     "2024-03-05 %02d:%02d:%02d.%02d Logon       The server was unable to load the SSL provider library needed to log in; the connection has been closed. SSL is used to encrypt either the login sequence or all communications, depending on how the administrator has configured the server. See Books Online for information on this error message: 0x2746. [CLIENT: 10.0.0.%u]\r\n",
				     h, m, s, ms / 10, h, m, s, ms / 10, r % 250);
		} else {
			n = snprintf(line, sizeof(line), "2024-03-05 %02d:%02d:%02d.%02d spid%-7us%s\r\n", h,
				     m, s, ms / 10, 50 + r % 60, sql_messages[r % 5]);
		}
		written += put16(f, line, (size_t)n);
	}
}

void td_gen_apptext(FILE *f, uint64_t bytes)
{
	uint64_t written = 0;
	for (uint64_t i = 0; written < bytes; i++) {
		int h, m, s, ms;
		stamp(i, &h, &m, &s, &ms);
		uint32_t r = td_gen_random();
		int n;
		if (r % 3000 == 0) {
			n = fprintf(f,
				    "2024-03-05 %02d:%02d:%02d.%03d UTC\tError\tw3wp.%u\tSoapUtilities.CreateException\t"
				    "ThrowException: actor = https://sws.update.microsoft.com/, ID=5f1d, ErrorCode=ConnectionError, Message=, Client=?\r\n"
				    "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> "
				    "System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host. ---> "
				    "System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host\r\n"
				    "   at System.Net.Sockets.Socket.Receive(Byte[] buffer, Int32 offset, Int32 size, SocketFlags socketFlags)\r\n"
				    "   at System.Net.Sockets.NetworkStream.Read(Byte[] buffer, Int32 offset, Int32 size)\r\n",
				    h, m, s, ms, 40 + r % 20);
		} else {
			n = fprintf(f,
				    "2024-03-05 %02d:%02d:%02d.%03d UTC\tInfo\tWsusService.%u\tCatalogSyncAgent.SyncUpdates\t"
				    "Processed %u of %u updates in this batch; %u metadata bytes downloaded\r\n",
				    h, m, s, ms, 20 + r % 30, r % 500, 500 + r % 200, r % 100000);
		}
		written += (uint64_t)n;
	}
}
