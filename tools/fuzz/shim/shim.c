// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line half of shim.h: kernel library functions the protocol
 * files call, written again for userspace with the kernel's semantics
 * (lib/kstrtox.c, net/core/utils.c), and a stand-in hash for chap.c.
 */
#include "shim.h"

#undef vsnprintf

int shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	const char *hex = strstr(fmt, "%*phN");
	size_t prefix, i, n;
	const u8 *p;
	int len;

	if (!hex)
		return vsnprintf(buf, size, fmt, args);
	prefix = hex - fmt;
	len = va_arg(args, int);
	p = va_arg(args, const u8 *);
	n = prefix + 2 * (size_t)len;
	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = i < prefix ? fmt[i] :
			 "0123456789abcdef"[p[(i - prefix) / 2] >> ((i - prefix) & 1 ? 0 : 4) & 15];
	if (size)
		buf[min(n, size - 1)] = '\0';
	return n;
}

/* lib/kstrtox.c: base 0 picks 16 for "0x" + hex digit, 8 for "0". */
int shim_kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	int n = 0;

	if (s[0] == '+')
		s++;
	if (!base) {
		if (s[0] == '0')
			base = tolower(s[1]) == 'x' && isxdigit(s[2]) ? 16 : 8;
		else
			base = 10;
	}
	if (base == 16 && s[0] == '0' && tolower(s[1]) == 'x')
		s += 2;
	for (;; s++, n++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (tolower(*s) >= 'a' && tolower(*s) <= 'f')
			d = tolower(*s) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

/*
 * net/core/utils.c parses in place; here the text is copied and handed
 * to inet_pton(), which accepts the same dotted quads and IPv6 forms for
 * what acl.c feeds it (a whole token, delim -1).
 */
static int shim_pton(int af, const char *src, int srclen, u8 *dst,
		     const char **end)
{
	char buf[64];
	size_t len = srclen < 0 ? strlen(src) : (size_t)srclen;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, src, len);
	buf[len] = '\0';
	if (inet_pton(af, buf, dst) != 1)
		return 0;
	if (end)
		*end = src + len;
	return 1;
}

int in4_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end)
{
	return shim_pton(AF_INET, src, srclen, dst, end);
}

int in6_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end)
{
	return shim_pton(AF_INET6, src, srclen, dst, end);
}

void get_random_bytes(void *buf, size_t len)
{
	static u32 x = 0x12345678;
	u8 *p = buf;

	while (len--) {
		x = x * 1103515245 + 12345;
		*p++ = x >> 16;
	}
}

/*
 * Not a cryptographic hash: the fuzzer needs chap.c's parsing and state
 * machine, and a harness that can compute the "right" answer with the
 * same function (shim_hash_digest) to reach the paths after it.
 */
struct crypto_shash *crypto_alloc_shash(const char *name, u32 type, u32 mask)
{
	static const struct {
		const char *name;
		unsigned int size;
	} algs[] = {
		{ "md5", MD5_DIGEST_SIZE },
		{ "sha1", SHA1_DIGEST_SIZE },
		{ "sha256", SHA256_DIGEST_SIZE },
		{ "sha3-256", SHA3_256_DIGEST_SIZE },
	};
	struct crypto_shash *tfm;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		if (strcmp(name, algs[i].name))
			continue;
		tfm = malloc(sizeof(*tfm));
		if (!tfm)
			return ERR_PTR(-ENOMEM);
		tfm->digestsize = algs[i].size;
		return tfm;
	}
	return ERR_PTR(-ENOENT);
}

void crypto_free_shash(struct crypto_shash *tfm)
{
	free(tfm);
}

int crypto_shash_init(struct shash_desc *desc)
{
	desc->state[0] = 0xcbf29ce484222325ULL;
	desc->state[1] = desc->tfm->digestsize;
	return 0;
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len)
{
	while (len--) {
		desc->state[0] = (desc->state[0] ^ *data++) * 0x100000001b3ULL;
		desc->state[1]++;
	}
	return 0;
}

int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out)
{
	u64 s;
	unsigned int i;

	crypto_shash_update(desc, data, len);
	s = desc->state[0] ^ desc->state[1];
	for (i = 0; i < desc->tfm->digestsize; i++) {
		s = (s ^ i) * 0x100000001b3ULL;
		out[i] = s >> 56;
	}
	return 0;
}
