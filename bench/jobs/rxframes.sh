# The rumpxen side of the frame round-trip benchmark: the echo guest of
# tests/system/frames.sh (the if_virt path on netfront).
#@ net
#@ image build/tests/system/frame_echo.elf
#@ dom0 bench/dom0/rxframes.dom0
#@ timeout 900
