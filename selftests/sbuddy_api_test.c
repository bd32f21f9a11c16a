// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy ABI selftests: the API handshake, unknown commands, bad pointers,
 * who may open the device, and the region debugfs file.
 * Run with the module loaded.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", SB_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, get_api)
{
	struct sbuddy_api api;

	memset(&api, 0xa5, sizeof(api));
	ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_GET_API, &api));
	EXPECT_EQ(SBUDDY_API_VERSION, api.api_version);
	EXPECT_EQ(0, api.pad);
	EXPECT_TRUE(api.features & SBUDDY_FEAT_REGION);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, api.reserved[i]);
}

TEST_F(dev, get_api_bad_pointer)
{
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_GET_API, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, unknown_command_enotty)
{
	unsigned int cmds[] = {
		_IO(SBUDDY_IOC_MAGIC, 0x7f),
		_IOW(SBUDDY_IOC_MAGIC, 0x00, struct sbuddy_api),
		_IOR(SBUDDY_IOC_MAGIC, 0x00, __u32),	/* right nr, wrong size */
		_IOR('x', 0x00, struct sbuddy_api),	/* wrong magic */
		0,
	};
	struct sbuddy_api api;

	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &api));
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", cmds[i]);
	}
}

TEST(device_node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(SB_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 0777);
	EXPECT_EQ(0, st.st_uid);
}

/*
 * Open the device as nobody in a child; the child's exit status is 0 when
 * the open failed with one of @ok_errno, 3 when it succeeded.
 */
static int open_as_nobody(int ok1, int ok2)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (open(SB_DEV, O_RDWR) >= 0)
			_exit(3);
		_exit(errno == ok1 || errno == ok2 ? 0 : 4);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(non_root_open_refused)
{
	EXPECT_EQ(0, open_as_nobody(EACCES, EPERM));
}

TEST(non_root_open_refused_after_chmod)
{
	int ret;

	/* a node opened up by mistake still refuses the unprivileged */
	ASSERT_EQ(0, chmod(SB_DEV, 0666));
	ret = open_as_nobody(EPERM, EPERM);
	ASSERT_EQ(0, chmod(SB_DEV, 0600));
	EXPECT_EQ(0, ret);
}

TEST(region_file)
{
	const char *path = SB_DEBUGFS "/region";
	long long start, end, nr, kib;
	struct stat st;

	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0400, st.st_mode & 0777);
	start = sb_read_key(path, "start_pfn");
	end = sb_read_key(path, "end_pfn");
	nr = sb_read_key(path, "nr_pages");
	kib = sb_read_key(path, "size_kib");
	ASSERT_LT(0, nr);
	EXPECT_EQ(nr, end - start);
	EXPECT_EQ(nr * 4, kib);
	/* a MAX_ORDER-aligned start, whole pageblocks */
	EXPECT_EQ(0, start % 1024);
	EXPECT_EQ(0, nr % 512);
	EXPECT_EQ(0, sb_read_key(path, "node"));
	EXPECT_LE(1, sb_read_key(path, "attempts"));
}

TEST_HARNESS_MAIN
