/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API, in userspace, to compile the module's
 * socket-free protocol files (pdu.c, scsi.c, spc.c, negotiate.c, chap.c,
 * acl.c) for libFuzzer. Every file is compiled with -include shim.h; the
 * kernel headers they name are empty stubs the Makefile generates, except
 * scsi/iscsi_proto.h and scsi/scsi_proto.h, which come from the kernel
 * headers package so that the wire structs are the real ones.
 *
 * Semantics follow the kernel where the protocol code depends on them
 * (kstrto*, strscpy, hex_to_bin, unaligned big-endian access); what a
 * fuzzer should see as a bug (WARN_ON, BUG_ON) aborts.
 */
#ifndef ISPT_FUZZ_SHIM_H
#define ISPT_FUZZ_SHIM_H

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Types */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef unsigned int gfp_t;
typedef u64 sector_t;
typedef u8 blk_status_t;
typedef u32 blk_opf_t;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { atomic_t refs; } refcount_t;
typedef struct { u64 v; } u64_stats_t;

struct u64_stats_sync {
	int unused;
};

#define __percpu
/* One "CPU": per-CPU variables are plain ones. */
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name)	__typeof__(type) name
#define this_cpu_inc(var)		((var)++)
#define this_cpu_dec(var)		((var)--)

/*
 * scsi_proto.h on newer kernels checks its struct sizes and ends structs
 * in flexible arrays through these kernel macros.
 */
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define DECLARE_FLEX_ARRAY(TYPE, NAME) \
	struct { \
		struct { } __empty_ ## NAME; \
		TYPE NAME[]; \
	}

#define __bitwise
#define __force
#define __user
#define __iomem
#define __rcu
#define __must_check
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define __nonstring
#define noinline		__attribute__((noinline))
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(x)
#define WRITE_ONCE(x, v)	((x) = (v))
#define IS_ENABLED(x)		0
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define VISIBLE_IF_KUNIT	static

#define GFP_KERNEL	0u
#define GFP_ATOMIC	0u
#define GFP_NOWAIT	0u
#define GFP_NOIO	0u
#define __GFP_NOWARN	0u
#define __GFP_ZERO	1u

#define PAGE_SIZE	4096UL
#define PAGE_SHIFT	12

/* Limits and arithmetic */
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define container_of(p, t, m)	((t *)((char *)(p) - offsetof(t, m)))
#define struct_size(p, m, n)	(sizeof(*(p)) + sizeof(*(p)->m) * (size_t)(n))
#define array_size(a, b)	((size_t)(a) * (size_t)(b))

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define swap(a, b)		do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

static inline int ilog2(u64 n)
{
	return 63 - __builtin_clzll(n);
}

/* Assertions: a fuzzer must see these as crashes. */
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define BUG_ON(c)		do { if (c) abort(); } while (0)
#define BUG()			abort()
#define WARN_ON(c)		({ bool __w = !!(c); if (__w) abort(); __w; })
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define WARN(c, ...)		WARN_ON(c)
#define WARN_ONCE(c, ...)	WARN_ON(c)

/* Logging: silent unless ISPT_FUZZ_VERBOSE is set at build time. */
#ifdef ISPT_FUZZ_VERBOSE
#define shim_log(...)		fprintf(stderr, __VA_ARGS__)
#else
#define shim_log(...)		do { if (0) fprintf(stderr, __VA_ARGS__); } while (0)
#endif
#define pr_fmt(fmt)		fmt
#define pr_err(...)		shim_log(__VA_ARGS__)
#define pr_warn(...)		shim_log(__VA_ARGS__)
#define pr_info(...)		shim_log(__VA_ARGS__)
#define pr_debug(...)		shim_log(__VA_ARGS__)
#define pr_err_ratelimited(...)		shim_log(__VA_ARGS__)
#define pr_warn_ratelimited(...)	shim_log(__VA_ARGS__)
#define pr_info_ratelimited(...)	shim_log(__VA_ARGS__)
#define net_dbg_ratelimited(...)	shim_log(__VA_ARGS__)
#define net_info_ratelimited(...)	shim_log(__VA_ARGS__)
#define net_warn_ratelimited(...)	shim_log(__VA_ARGS__)

/* Errors in pointers */
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }
#define ERR_CAST(p)	((void *)(p))
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

/* Byte order: x86-64 is little-endian, the wire is big-endian. */
#define cpu_to_be16(x)	__builtin_bswap16(x)
#define cpu_to_be32(x)	__builtin_bswap32(x)
#define cpu_to_be64(x)	__builtin_bswap64(x)
#define be16_to_cpu(x)	__builtin_bswap16(x)
#define be32_to_cpu(x)	__builtin_bswap32(x)
#define be64_to_cpu(x)	__builtin_bswap64(x)
#define cpu_to_le16(x)	((u16)(x))
#define cpu_to_le32(x)	((u32)(x))
#define cpu_to_le64(x)	((u64)(x))
#define le16_to_cpu(x)	((u16)(x))
#define le32_to_cpu(x)	((u32)(x))
#define le64_to_cpu(x)	((u64)(x))

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be24(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 16 | (u32)b[1] << 8 | b[2];
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	return (u64)get_unaligned_be32(p) << 32 |
	       get_unaligned_be32((const u8 *)p + 4);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be24(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 16;
	b[1] = v >> 8;
	b[2] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	put_unaligned_be32(v >> 32, p);
	put_unaligned_be32(v, (u8 *)p + 4);
}

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	memcpy(p, &v, 4);
}

/* Memory: plain malloc, so ASan sees every overrun. */
static inline void *kmalloc(size_t n, gfp_t gfp)
{
	void *p = malloc(n ? n : 1);

	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, n);
	return p;
}

static inline void *kzalloc(size_t n, gfp_t gfp)
{
	return calloc(1, n ? n : 1);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return calloc(n ? n : 1, size ? size : 1);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return malloc(n * size ? n * size : 1);
}

static inline void *krealloc(const void *p, size_t n, gfp_t gfp)
{
	return realloc((void *)p, n ? n : 1);
}

static inline void *kmemdup(const void *src, size_t n, gfp_t gfp)
{
	void *p = malloc(n ? n : 1);

	if (p)
		memcpy(p, src, n);
	return p;
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#define kvmalloc(n, gfp)	kmalloc(n, gfp)
#define kvzalloc(n, gfp)	kzalloc(n, gfp)
#define kvfree(p)		kfree(p)

static inline void kfree_sensitive(const void *p)
{
	free((void *)p);
}

static inline void memzero_explicit(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (u8)c)
			return (void *)(b + i);
	return NULL;
}

/* Strings, with the kernel's return conventions. */
#define E2BIG_SHIM	E2BIG
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

static inline int match_string(const char * const *array, size_t n,
			       const char *string)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!array[i])
			break;
		if (!strcmp(array[i], string))
			return i;
	}
	return -EINVAL;
}

static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static inline int hex2bin(u8 *dst, const char *src, size_t count)
{
	while (count--) {
		int hi = hex_to_bin(*src++);
		int lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_to_bin(*src++);
		if (lo < 0)
			return -EINVAL;
		*dst++ = hi << 4 | lo;
	}
	return 0;
}

int shim_kstrtoull(const char *s, unsigned int base, unsigned long long *res);

static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	unsigned long long v;
	int ret = shim_kstrtoull(s, base, &v);

	if (!ret)
		*res = v;
	return ret;
}

static inline int kstrtouint(const char *s, unsigned int base,
			     unsigned int *res)
{
	unsigned long long v;
	int ret = shim_kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

#define kstrtou32 kstrtouint

static inline int kstrtou16(const char *s, unsigned int base, u16 *res)
{
	unsigned int v;
	int ret = kstrtouint(s, base, &v);

	if (ret)
		return ret;
	if (v > U16_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline int kstrtou8(const char *s, unsigned int base, u8 *res)
{
	unsigned int v;
	int ret = kstrtouint(s, base, &v);

	if (ret)
		return ret;
	if (v > U8_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

/*
 * The kernel's vsnprintf knows %*phN (a hex dump), which chap.c uses as
 * "PREFIX%*phN"; libc's does not. shim.c handles that form and passes
 * every other format to libc.
 */
int shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
#define vsnprintf shim_vsnprintf

static inline int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return n;
}

static inline int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf + at, PAGE_SIZE - at, fmt, args);
	va_end(args);
	return n;
}

/* Locks, references and RCU: one thread, nothing to wait for. */
struct mutex {
	int locked;
};

#define DEFINE_MUTEX(x)		struct mutex x = { 0 }
#define mutex_init(m)		((m)->locked = 0)
#define mutex_destroy(m)	((void)(m))
#define mutex_lock(m)		((m)->locked++)
#define mutex_unlock(m)		((m)->locked--)
#define lockdep_is_held(m)	((m)->locked)
#define lockdep_assert_held(m)	BUG_ON(!(m)->locked)

struct kref {
	int refcount;
};

static inline void kref_init(struct kref *k)
{
	k->refcount = 1;
}

static inline void kref_get(struct kref *k)
{
	BUG_ON(k->refcount <= 0);
	k->refcount++;
}

static inline int kref_put(struct kref *k, void (*release)(struct kref *))
{
	BUG_ON(k->refcount <= 0);
	if (--k->refcount)
		return 0;
	release(k);
	return 1;
}

struct rcu_head {
	void *next;
};

#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
#define rcu_read_lock_held()		1
#define RCU_LOCKDEP_WARN(c, s)		do { } while (0)
#define rcu_dereference(p)		(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_dereference_check(p, c)	(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#define RCU_INIT_POINTER(p, v)		((p) = (v))
#define rcu_replace_pointer(p, v, c)	({ __typeof__(p) __o = (p); (p) = (v); __o; })
#define kfree_rcu(p, f)			kfree(p)
#define synchronize_rcu()		do { } while (0)

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(p, t, m)	container_of(p, t, m)
#define list_for_each_entry(pos, head, m)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), m);	\
	     &pos->m != (head);						\
	     pos = list_entry(pos->m.next, __typeof__(*pos), m))

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* One thread: a spinlock only has to be balanced. */
typedef struct {
	int locked;
} spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { 0 }
#define spin_lock_init(l)	((l)->locked = 0)
#define spin_lock(l)		do { BUG_ON((l)->locked); (l)->locked = 1; } while (0)
#define spin_unlock(l)		do { BUG_ON(!(l)->locked); (l)->locked = 0; } while (0)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

struct timer_list {
	int unused;
};

/* Only ever behind pointers in the headers we compile. */
struct cpumask;
/* conn.h's copy of its portal group's mask; never touched here. */
typedef struct cpumask *cpumask_var_t;
struct sock;
struct socket;
struct bio_vec;

/* Time: a clock that never moves; the protocol files only stamp it. */
static const unsigned long jiffies;
#define HZ			100

struct kvec {
	void *iov_base;
	size_t iov_len;
};

struct iov_iter {
	int unused;
};

/* Network addresses: libc's structs are layout-compatible. */
struct in6_addr;

static inline bool ipv6_addr_equal(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return !memcmp(a, b, 16);
}

static inline void ipv6_addr_prefix(struct in6_addr *pfx,
				    const struct in6_addr *addr, int plen)
{
	u8 *p = (u8 *)pfx;
	int o = plen >> 3, b = plen & 7;

	memset(p, 0, 16);
	memcpy(p, addr, o);
	if (b)
		p[o] = ((const u8 *)addr)[o] & (0xff00 >> b);
}

static inline bool ipv6_prefix_equal(const struct in6_addr *a,
				     const struct in6_addr *b,
				     unsigned int plen)
{
	struct in6_addr x, y;

	ipv6_addr_prefix(&x, a, plen);
	ipv6_addr_prefix(&y, b, plen);
	return ipv6_addr_equal(&x, &y);
}

static inline bool ipv6_addr_v4mapped(const struct in6_addr *a)
{
	static const u8 pfx[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(a, pfx, sizeof(pfx));
}

int in4_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end);
int in6_pton(const char *src, int srclen, u8 *dst, int delim,
	     const char **end);

/* Random bytes: deterministic, so that a fuzzer run replays. */
void get_random_bytes(void *buf, size_t len);

/* The hash API as chap.c uses it, over a stand-in hash (shim.c). */
struct crypto_shash {
	unsigned int digestsize;
};

struct shash_desc {
	struct crypto_shash *tfm;
	u64 state[4];
};

#define SHASH_DESC_ON_STACK(name, tfm_)				\
	struct shash_desc __##name##_desc = { .tfm = (tfm_) };	\
	struct shash_desc *name = &__##name##_desc

struct crypto_shash *crypto_alloc_shash(const char *name, u32 type, u32 mask);
void crypto_free_shash(struct crypto_shash *tfm);
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len);
int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out);

static inline unsigned int crypto_shash_digestsize(struct crypto_shash *tfm)
{
	return tfm->digestsize;
}

static inline void shash_desc_zero(struct shash_desc *desc)
{
	memzero_explicit(desc, sizeof(*desc));
}

static inline int crypto_memneq(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	u8 d = 0;

	while (n--)
		d |= *x++ ^ *y++;
	return d != 0;
}

#define MD5_DIGEST_SIZE		16
#define SHA1_DIGEST_SIZE	20
#define SHA256_DIGEST_SIZE	32
#define SHA3_256_DIGEST_SIZE	32

/*
 * compat.h smooths over kernel versions; the shim stands in for all of
 * them (including the unaligned helpers above), so it is left out.
 */
#define ISPT_COMPAT_H

#endif /* ISPT_FUZZ_SHIM_H */
