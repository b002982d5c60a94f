/**
 * The kernel's lib/ that the series uses and does not change: the maple tree
 * ({@link vfiowb.common.lib.MapleTree}, lib/maple_tree.c) with its range store, load, erase and
 * gap-tracked allocation, plus the aligned allocation stage 3 needs and the kernel lacks, offered
 * both as a native gap search and as the oversize-then-round trick callers use today.
 */
package vfiowb.common.lib;
