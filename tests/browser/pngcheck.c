/* pngcheck: proves a screenshot is a real picture, for the browser test.
 *
 * usage: pngcheck FILE WIDTH HEIGHT
 * Reads a non-interlaced 8-bit PNG (grey, RGB, grey+alpha or RGBA), checks
 * every chunk CRC, the size against WIDTH x HEIGHT, inflates and unfilters
 * the image and counts the pixels that differ from the most common colour
 * of the first row (the page background).  Exit 0 when at least 0.5 % of
 * the pixels do, 1 otherwise (blank, one colour, wrong size or not a PNG);
 * a line on stdout says what was found.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_FILE (64u << 20)
#define MAX_SIDE 16384u

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(const char *file, const char *why)
{
	printf("pngcheck: %s: %s\n", file, why);
	return 1;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = malloc(MAX_FILE);
	*len = buf ? fread(buf, 1, MAX_FILE, f) : 0;
	fclose(f);
	return buf;
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the per-row filters in place; rows of 1 + stride bytes. */
static int unfilter(unsigned char *img, uint32_t height, size_t stride, size_t bpp)
{
	for (uint32_t y = 0; y < height; y++) {
		unsigned char *row = img + y * (stride + 1), *prev = y ? row - stride - 1 : NULL;
		int type = row[0];
		for (size_t x = 1; x <= stride; x++) {
			int a = x > bpp ? row[x - bpp] : 0, b = prev ? prev[x] : 0;
			int c = prev && x > bpp ? prev[x - bpp] : 0;
			switch (type) {
			case 0: break;
			case 1: row[x] = (unsigned char)(row[x] + a); break;
			case 2: row[x] = (unsigned char)(row[x] + b); break;
			case 3: row[x] = (unsigned char)(row[x] + (a + b) / 2); break;
			case 4: row[x] = (unsigned char)(row[x] + paeth(a, b, c)); break;
			default: return -1;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: pngcheck FILE WIDTH HEIGHT\n", stderr);
		return 2;
	}
	const char *file = argv[1];
	uint32_t want_w = (uint32_t)strtoul(argv[2], NULL, 10);
	uint32_t want_h = (uint32_t)strtoul(argv[3], NULL, 10);
	size_t len;
	unsigned char *png = read_file(file, &len);
	if (!png)
		return fail(file, "cannot read");
	int rc = 1;
	unsigned char *img = NULL;
	z_stream z = { 0 };
	bool zinit = false;
	if (len < 8 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0) {
		fail(file, "not a PNG");
		goto out;
	}
	uint32_t w = 0, h = 0;
	size_t channels = 0, stride = 0, imglen = 0;
	bool end = false;
	for (size_t off = 8; !end;) {
		if (len - off < 12) {
			fail(file, "truncated chunk");
			goto out;
		}
		uint32_t n = be32(png + off);
		const unsigned char *type = png + off + 4, *data = type + 4;
		if (n > len - off - 12) {
			fail(file, "chunk longer than the file");
			goto out;
		}
		if (crc32(crc32(0, NULL, 0), type, n + 4) != be32(data + n)) {
			fail(file, "chunk CRC mismatch");
			goto out;
		}
		if (memcmp(type, "IHDR", 4) == 0 && n == 13) {
			static const size_t per_type[7] = { 1, 0, 3, 0, 2, 0, 4 };
			w = be32(data);
			h = be32(data + 4);
			if (data[8] != 8 || data[9] > 6 || !per_type[data[9]] || data[12] != 0 ||
			    !w || !h || w > MAX_SIDE || h > MAX_SIDE) {
				fail(file, "not an 8-bit non-interlaced grey/RGB(A) image");
				goto out;
			}
			channels = per_type[data[9]];
			stride = (size_t)w * channels;
			imglen = (stride + 1) * h;
			img = malloc(imglen);
			if (!img || inflateInit(&z) != Z_OK) {
				fail(file, "out of memory");
				goto out;
			}
			zinit = true;
			z.next_out = img;
			z.avail_out = (uInt)imglen;
		} else if (memcmp(type, "IDAT", 4) == 0 && img) {
			z.next_in = (unsigned char *)data;
			z.avail_in = n;
			int zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END) {
				fail(file, "bad image data");
				goto out;
			}
		} else if (memcmp(type, "IEND", 4) == 0) {
			end = true;
		}
		off += 12 + (size_t)n;
	}
	if (!img || z.total_out != imglen || unfilter(img, h, stride, channels)) {
		fail(file, "image data missing or malformed");
		goto out;
	}
	if (w != want_w || h != want_h) {
		printf("pngcheck: %s: %ux%u, expected %ux%u\n", file, w, h, want_w, want_h);
		goto out;
	}
	/* The background: the most common pixel of the first row. */
	const unsigned char *bg = img + 1;
	size_t best = 0;
	for (size_t x = 0; x < w; x += 7) {
		size_t same = 0;
		for (size_t k = 0; k < w; k++)
			same += memcmp(img + 1 + x * channels, img + 1 + k * channels, channels) == 0;
		if (same > best) {
			best = same;
			bg = img + 1 + x * channels;
		}
	}
	uint64_t differ = 0, total = (uint64_t)w * h;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			differ += memcmp(img + y * (stride + 1) + 1 + (size_t)x * channels, bg,
					 channels) != 0;
	printf("pngcheck: %s: %ux%u, %llu of %llu pixels (%.1f%%) differ from the background\n",
	       file, w, h, (unsigned long long)differ, (unsigned long long)total,
	       100.0 * (double)differ / (double)total);
	rc = differ * 200 >= total ? 0 : 1;
	if (rc)
		puts("pngcheck: the picture is (almost) blank");
out:
	if (zinit)
		inflateEnd(&z);
	free(img);
	free(png);
	return rc;
}
