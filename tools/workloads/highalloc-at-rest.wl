# The mmtests stress-highalloc shape: what a kernel build leaves in memory.
# Page cache and anonymous memory (order-0 movable) fill the machine with
# slab among them (unmovable and reclaimable, order 0); slab then churns
# with larger objects (orders 0-3) and mixed lifetimes while the page cache
# turns over; most of it goes, and the machine is left at rest, scattered,
# for high-order allocation attempts.
name highalloc-at-rest
seed 1
cpus 0
phase fill 60 orders=0:1 types=u:10,m:80,r:10
phase churn 10000 orders=0:60,1:15,2:10,3:15 types=u:50,r:50 life=4000
phase churn 20000 orders=0:1 types=m:1 life=5000
phase free 70
