# The mmtests stress-highalloc shape: fill with a mix whose unmovable and
# reclaimable blocks land everywhere, free most of it, then leave the
# machine at rest for high-order allocation attempts.
name highalloc-at-rest
seed 1
cpus 0
phase fill 70 orders=0:80,2:10,3:10 types=u:10,m:80,r:10
phase churn 20000 orders=0:80,1:10,3:10 types=u:10,m:80,r:10 life=5000
phase free 70
