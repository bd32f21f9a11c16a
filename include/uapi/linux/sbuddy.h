/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sbuddy: a shadow buddy allocator.  The ioctl ABI of /dev/sbuddy.
 *
 * Every structure is made of __u32/__u64 fields with explicit padding, so
 * that 32-bit and 64-bit callers see one layout.  Reserved and padding
 * fields must be zero on input and are zero on output.
 */
#ifndef _UAPI_LINUX_SBUDDY_H
#define _UAPI_LINUX_SBUDDY_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The ioctl magic; not registered in ioctl-number.rst (out of tree). */
#define SBUDDY_IOC_MAGIC	0xB8

/* The ABI version SBUDDY_IOC_GET_API reports. */
#define SBUDDY_API_VERSION	1

/* Feature bits reported in &struct sbuddy_api.features. */
/* The module borrowed a host region and reports it in debugfs. */
#define SBUDDY_FEAT_REGION	(1ULL << 0)

/**
 * struct sbuddy_api - the answer of SBUDDY_IOC_GET_API
 * @api_version:	SBUDDY_API_VERSION of the running module.
 * @pad:		zero.
 * @features:		a mask of SBUDDY_FEAT_* bits.
 * @reserved:		zero.
 */
struct sbuddy_api {
	__u32 api_version;
	__u32 pad;
	__u64 features;
	__u64 reserved[4];
};

/**
 * DOC: SBUDDY_IOC_GET_API
 *
 * SBUDDY_IOC_GET_API - _IOR(SBUDDY_IOC_MAGIC, 0x00, struct sbuddy_api)
 *
 * The handshake: fills in the API version and the feature mask.  The
 * caller's buffer is only written.
 *
 * Context: process context; any opener of /dev/sbuddy.
 *
 * Return:
 * * 0		- success.
 * * -EFAULT	- the argument does not point to writable memory.
 *
 * Any command number the module does not know fails with -ENOTTY.
 */
#define SBUDDY_IOC_GET_API	_IOR(SBUDDY_IOC_MAGIC, 0x00, struct sbuddy_api)

#endif /* _UAPI_LINUX_SBUDDY_H */
