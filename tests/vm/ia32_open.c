/* ia32_open.c - a static 32-bit program with no libc for the ia32 scenario:
 * opens /etc/shrike-ia32 for writing through int $0x80 (so the syscall
 * arrives through the compat table: openat is 295 there, 257 on x86_64),
 * writes to it and exits with 0, or with 1 if the open failed.
 * Built with gcc -m32 -nostdlib -static -ffreestanding. */

#define NR_EXIT	  1
#define NR_WRITE  4
#define NR_OPENAT 295
#define AT_FDCWD  (-100)
#define O_WRONLY  01
#define O_CREAT	  0100
#define O_TRUNC	  01000

static long sys4(long nr, long a, long b, long c, long d)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "memory");
	return ret;
}

void _start(void);

void _start(void)
{
	static const char path[] = "/etc/shrike-ia32";
	static const char msg[] = "written by a 32-bit process\n";
	long fd = sys4(NR_OPENAT, AT_FDCWD, (long)path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0)
		sys4(NR_WRITE, fd, (long)msg, sizeof(msg) - 1, 0);
	sys4(NR_EXIT, fd < 0, 0, 0, 0);
	for (;;)
		;
}
