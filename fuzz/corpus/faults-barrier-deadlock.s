; Three cores reach a barrier, the fourth waits on a semaphore: deadlock.
.target tiny
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=1

.section 0
        barrier
        halt

.section 1
        sem.wait sem=2, count=1
        halt
