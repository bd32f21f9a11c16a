# Fill most of the region with a movable-heavy mix, then free half at
# random: scattered holes in every pageblock.
name fill-and-fragment
seed 1
cpus 0
phase fill 80 orders=0:70,1:15,2:10,3:5 types=u:15,m:75,r:10
phase free 50
