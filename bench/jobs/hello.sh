# The rumpxen side of the boot benchmark: the hello guest as a domU.
#@ image build/hello.elf
