# Pageblock-order (THP) movable allocations churning against order-0
# unmovable noise.
name thp-churn
seed 1
cpus 0
phase fill 40 orders=0:1 types=u:1
phase churn 2000 orders=0:90,9:10 types=u:20,m:80 life=200 flags=noretry
