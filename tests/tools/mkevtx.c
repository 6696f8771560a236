/* mkevtx: writes an .evtx test fixture from a plain-text event list.
 *
 *   mkevtx [--per-chunk N] [--dirty] SPEC OUT.evtx
 *
 * SPEC has one event per line, tab-separated key=value pairs; blank lines
 * and lines starting with '#' are skipped.  Keys: id (event id), level,
 * time (ISO 8601 UTC), record, provider, guid, channel, computer, user,
 * pid, tid, and data.NAME=VALUE for each EventData value in order
 * (data=VALUE for an unnamed one).  Defaults: provider Schannel, channel
 * System, level 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtxwrite.h"

#define MAX_EVENTS 100000

/* Every string made for the events, freed at the end. */
static char **strings;
static size_t nstrings;

static char *dup_range(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	char **ns = realloc(strings, (nstrings + 1) * sizeof(*ns));
	if (!s || !ns) {
		perror("mkevtx");
		exit(2);
	}
	strings = ns;
	strings[nstrings++] = s;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static int parse_line(char *line, struct td_ew_event *e, const char *spec, int lineno)
{
	memset(e, 0, sizeof(*e));
	e->level = 2;
	e->user_sid = "S-1-5-18";
	for (char *tok = strtok(line, "\t\r\n"); tok; tok = strtok(NULL, "\t\r\n")) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			fprintf(stderr, "mkevtx: %s:%d: '%s' is not key=value\n", spec, lineno, tok);
			return -1;
		}
		*eq = '\0';
		const char *k = tok, *v = dup_range(eq + 1, strlen(eq + 1));
		if (strcmp(k, "id") == 0)
			e->event_id = (uint16_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "level") == 0)
			e->level = (uint8_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "time") == 0) {
			e->filetime = td_ew_filetime(v);
			if (!e->filetime) {
				fprintf(stderr, "mkevtx: %s:%d: bad time '%s'\n", spec, lineno, v);
				return -1;
			}
		} else if (strcmp(k, "record") == 0)
			e->record_id = strtoull(v, NULL, 10);
		else if (strcmp(k, "provider") == 0)
			e->provider = v;
		else if (strcmp(k, "guid") == 0)
			e->provider_guid = v;
		else if (strcmp(k, "channel") == 0)
			e->channel = v;
		else if (strcmp(k, "computer") == 0)
			e->computer = v;
		else if (strcmp(k, "user") == 0)
			e->user_sid = *v ? v : NULL;
		else if (strcmp(k, "pid") == 0)
			e->pid = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "tid") == 0)
			e->tid = (uint32_t)strtoul(v, NULL, 10);
		else if (strncmp(k, "data", 4) == 0 && (k[4] == '\0' || k[4] == '.')) {
			if (e->ndata == TD_EW_MAX_DATA) {
				fprintf(stderr, "mkevtx: %s:%d: too many data values\n", spec, lineno);
				return -1;
			}
			e->data_name[e->ndata] = k[4] ? dup_range(k + 5, strlen(k + 5)) : NULL;
			e->data_value[e->ndata++] = v;
		} else {
			fprintf(stderr, "mkevtx: %s:%d: unknown key '%s'\n", spec, lineno, k);
			return -1;
		}
	}
	if (!e->filetime)
		e->filetime = td_ew_filetime("2024-05-01T10:00:00.0000000Z");
	return 0;
}

int main(int argc, char **argv)
{
	struct td_ew_options opt = { 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--per-chunk") == 0 && i + 1 < argc)
			opt.records_per_chunk = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dirty") == 0)
			opt.dirty = 1;
		else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: mkevtx [--per-chunk N] [--dirty] SPEC OUT.evtx\n");
		return 2;
	}
	const char *spec = argv[i], *outpath = argv[i + 1];
	FILE *f = fopen(spec, "r");
	if (!f) {
		perror(spec);
		return 2;
	}
	struct td_ew_event *ev = calloc(MAX_EVENTS, sizeof(*ev));
	if (!ev)
		return 2;
	size_t n = 0;
	char line[8192];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n' || line[0] == '\r' || line[0] == '\0')
			continue;
		if (n == MAX_EVENTS || parse_line(line, &ev[n], spec, lineno))
			return 2;
		n++;
	}
	fclose(f);
	size_t len;
	unsigned char *file = td_ew_build(ev, n, &opt, &len);
	if (!file) {
		fprintf(stderr, "mkevtx: cannot encode the events (one is larger than a chunk?)\n");
		return 2;
	}
	FILE *o = fopen(outpath, "wb");
	if (!o || fwrite(file, 1, len, o) != len || fclose(o)) {
		perror(outpath);
		return 2;
	}
	free(file);
	free(ev);
	for (size_t k = 0; k < nstrings; k++)
		free(strings[k]);
	free(strings);
	return 0;
}
