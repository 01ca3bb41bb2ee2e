; Five cores on a mesh with four (rejected when loaded).
.target tiny
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=0
.core 0 0 section=0

.section 0
        halt
