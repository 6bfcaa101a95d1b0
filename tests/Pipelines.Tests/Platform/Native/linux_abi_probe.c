/*
 * The C side of LinuxAbiTests: every constant and struct layout in LinuxAbi, as the C headers of one architecture
 * define them. probes.h (written by the test from the table) is a list of PROBE(name, expression) lines.
 *
 * Built two ways, so no test needs to run a foreign binary:
 *   gcc -S (any target, also aarch64-linux-gnu-gcc): each value becomes an immediate in the assembly,
 *     `.ascii "->NAME $VALUE"` (x86-64) or `#VALUE` (aarch64), the way the kernel's asm-offsets are made;
 *   gcc -DPROBE_RUN (the build machine): a program that prints "NAME VALUE" lines, to cross-check the parser.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <stddef.h>
#include <termios.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>

#ifdef PROBE_RUN
#include <stdio.h>
#define PROBE(name, expr) printf("%s %lld\n", name, (long long)(expr));
int main(void)
{
#include "probes.h"
    return 0;
}
#else
#define PROBE(name, expr) __asm__ volatile("\n.ascii \"->" name " %0\"" : : "i"((long long)(expr)));
void linux_abi_probe(void)
{
#include "probes.h"
}
#endif
