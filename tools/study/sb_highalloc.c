// SPDX-License-Identifier: GPL-2.0
/*
 * The fragmentation study's allocation pass: order-9 movable blocks, one
 * request at a time (__GFP_RETRY_MAYFAIL, so the slow path reclaims and
 * compacts but never OOM-kills), held until exit.  Makes MAX attempts,
 * as mmtests' stress-highalloc makes a fixed number, each failure having
 * been through the slow path's own retries; STOP (default 0: never)
 * ends it early after that many failures in a row.
 * Usage: sb_highalloc [ORDER [MAX [STOP]]].  Prints "success N fail N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sbuddy.h>

int main(int argc, char **argv)
{
	unsigned int order = argc > 1 ? atoi(argv[1]) : 9;
	unsigned int max = argc > 2 ? (unsigned int)atoi(argv[2]) : 1U << 20;
	unsigned int stop = argc > 3 ? (unsigned int)atoi(argv[3]) : 0;
	unsigned int success = 0, fail = 0, in_a_row = 0;
	int fd = open("/dev/sbuddy", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "sb_highalloc: /dev/sbuddy: %s\n", strerror(errno));
		return 1;
	}
	while ((!stop || in_a_row < stop) && success + fail < max) {
		uint64_t h;
		struct sbuddy_alloc a = {
			.order = order, .count = 1, .handles = (uintptr_t)&h,
			.flags = SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_RETRY_MAYFAIL |
				 SBUDDY_ALLOC_NOWARN,
		};

		if (ioctl(fd, SBUDDY_IOC_ALLOC, &a) == 0 && a.done == 1) {
			success++;
			in_a_row = 0;
		} else if (errno == ENOMEM || a.error == ENOMEM) {
			fail++;
			in_a_row++;
		} else {
			fprintf(stderr, "sb_highalloc: alloc: %s\n", strerror(errno));
			return 1;
		}
	}
	printf("success %u fail %u\n", success, fail);
	return 0;
}
