# Bursts of non-blocking high-priority allocations, as interrupt paths
# make: they may dip into the min watermark and the highatomic reserve.
name atomic-burst
seed 1
cpus 0
phase fill 60 orders=0:1 types=m:1
phase churn 5000 orders=0:60,1:20,2:10,3:10 types=u:1 flags=atomic,high life=50
