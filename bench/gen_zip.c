/* Writes a synthetic customer bundle as one zip for the archive benchmark:
 * per machine folder, System and Application event logs (EVTX, written
 * with tests/tools/evtxwrite) and text logs (bench/loggen.h) in the sizes
 * and roll-overs real bundles have, deflated as Windows' "Send to
 * compressed folder" would.  Deterministic for a given size.
 *
 * usage: gen_zip OUT.zip TOTAL_MB [MACHINES]
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtxwrite.h"
#include "loggen.h"

static struct archive *zip;

static void die(const char *what)
{
	fprintf(stderr, "gen_zip: %s: %s\n", what, zip ? archive_error_string(zip) : "failed");
	exit(1);
}

static void add(const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		die("out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 1709596800, 0);
	archive_entry_set_size(e, (la_int64_t)len);
	if (archive_write_header(zip, e) != ARCHIVE_OK ||
	    archive_write_data(zip, data, len) != (la_ssize_t)len)
		die(name);
	archive_entry_free(e);
}

/* A text log of about `bytes` bytes from one of the generators. */
static void add_text(const char *name, void (*gen)(FILE *, uint64_t), uint64_t bytes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		die("open_memstream");
	gen(f, bytes);
	if (fclose(f) != 0)
		die("open_memstream");
	add(name, buf, len);
	free(buf);
}

static const char *const services[] = {
	"Windows Update", "Background Intelligent Transfer Service", "SMS Agent Host",
	"SQL Server (MSSQLSERVER)", "Windows Modules Installer", "WinHTTP Web Proxy Auto-Discovery",
	"Network Setup Service", "Software Protection", "Windows Defender Antivirus Service",
};

/* An event log of about `bytes` bytes: service state changes and the like,
 * now and then a Schannel fatal alert. */
static void add_evtx(const char *name, const char *channel, const char *computer, uint64_t bytes)
{
	/* About 330 bytes per record with these values. */
	size_t n = (size_t)(bytes / 330) + 1;
	struct td_ew_event *ev = calloc(n, sizeof(*ev));
	char(*text)[2][24] = calloc(n, sizeof(*text));
	if (!ev || !text)
		die("out of memory");
	uint64_t t = td_ew_filetime("2024-03-05T00:00:00.0000000Z");
	for (size_t i = 0; i < n; i++) {
		struct td_ew_event *e = &ev[i];
		uint32_t r = td_gen_random();
		t += 10000000ull * (1 + r % 13);
		e->filetime = t;
		e->computer = computer;
		e->channel = channel;
		e->pid = 600 + r % 4000;
		e->tid = 700 + r % 9000;
		e->user_sid = "S-1-5-18";
		if (r % 997 == 0) {
			e->event_id = 36888;
			e->level = 2;
			e->data_name[0] = "AlertDesc";
			e->data_value[0] = r % 2 ? "40" : "70";
			e->data_name[1] = "ErrorState";
			e->data_value[1] = r % 2 ? "1205" : "105";
			e->ndata = 2;
		} else if (r % 3 == 0) {
			e->event_id = 1033;
			e->level = 4;
			e->provider = "MsiInstaller";
			e->provider_guid = "{00000000-0000-0000-0000-000000000000}";
			snprintf(text[i][0], sizeof(text[i][0]), "KB%u", 4000000 + r % 900000);
			snprintf(text[i][1], sizeof(text[i][1]), "%u", r % 1603);
			e->data_value[0] = text[i][0];
			e->data_value[1] = text[i][1];
			e->ndata = 2;
		} else {
			e->event_id = 7036;
			e->level = 4;
			e->provider = "Service Control Manager";
			e->provider_guid = "{555908D1-A6D7-4695-8E1E-26931D2012F4}";
			e->data_name[0] = "param1";
			e->data_value[0] = services[r % (sizeof(services) / sizeof(services[0]))];
			e->data_name[1] = "param2";
			e->data_value[1] = r & 8 ? "running" : "stopped";
			e->ndata = 2;
		}
	}
	struct td_ew_options opt = { 0 };
	size_t len;
	unsigned char *file = td_ew_build(ev, n, &opt, &len);
	if (!file)
		die("td_ew_build");
	add(name, file, len);
	free(file);
	free(ev);
	free(text);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: gen_zip OUT.zip TOTAL_MB [MACHINES]\n");
		return 2;
	}
	uint64_t total = strtoull(argv[2], NULL, 10) << 20;
	unsigned machines = argc == 4 ? (unsigned)strtoul(argv[3], NULL, 10) : 4;
	if (!machines)
		machines = 1;
	uint64_t per = total / machines;
	zip = archive_write_new();
	if (!zip || archive_write_set_format_zip(zip) != ARCHIVE_OK ||
	    archive_write_open_filename(zip, argv[1]) != ARCHIVE_OK)
		die(argv[1]);
	for (unsigned m = 0; m < machines; m++) {
		char dir[32], name[160], host[64];
		snprintf(dir, sizeof(dir), "CM-SRV%02u", m + 1);
		snprintf(host, sizeof(host), "%s.contoso.com", dir);
		snprintf(name, sizeof(name), "%s/EventLogs/System.evtx", dir);
		add_evtx(name, "System", host, per * 20 / 100);
		snprintf(name, sizeof(name), "%s/EventLogs/Application.evtx", dir);
		add_evtx(name, "Application", host, per * 15 / 100);
		/* CcmMessaging rolls over at 5 MB, as configured on many sites. */
		uint64_t cm = per * 20 / 100, roll = 5 << 20;
		for (unsigned k = 0; cm; k++) {
			uint64_t part = cm < roll ? cm : roll;
			if (k)
				snprintf(name, sizeof(name), "%s/Logs/CcmMessaging-%02u.lo_", dir,
					 k);
			else
				snprintf(name, sizeof(name), "%s/Logs/CcmMessaging.log", dir);
			add_text(name, td_gen_cmtrace, part);
			cm -= part;
		}
		snprintf(name, sizeof(name), "%s/SQL/ERRORLOG", dir);
		add_text(name, td_gen_errorlog, per * 20 / 100);
		snprintf(name, sizeof(name), "%s/Logs/smsprov.log", dir);
		add_text(name, td_gen_smstrace, per * 10 / 100);
		snprintf(name, sizeof(name), "%s/Logs/SoftwareDistribution.log", dir);
		add_text(name, td_gen_apptext, per * 15 / 100);
	}
	if (archive_write_close(zip) != ARCHIVE_OK)
		die(argv[1]);
	archive_write_free(zip);
	return 0;
}
