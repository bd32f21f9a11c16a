// SPDX-License-Identifier: GPL-2.0
/* SB_HAVE_VM_FLAGS_SET: vm_flags is set through vm_flags_set() (6.3+). */
#include <linux/mm.h>

void sb_probe(struct vm_area_struct *vma);
void sb_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_PFNMAP);
}
