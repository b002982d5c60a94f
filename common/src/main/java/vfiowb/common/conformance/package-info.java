/**
 * The userspace conformance suite every stage runs through the syscall boundary only
 * (DESIGN.md §2; userspace-clients.md §1 and §3).
 *
 * <p>{@link vfiowb.common.conformance.ConformanceSuite} runs, for every device of a stage, a
 * {@link vfiowb.common.conformance.DeviceProfile probe}, the {@link
 * vfiowb.common.conformance.clients QEMU and DPDK clients} and the {@link
 * vfiowb.common.conformance.scenarios scenario catalogue}, each on a fresh host, and returns a
 * {@link vfiowb.common.conformance.ConformanceReport}. Every run leaves a
 * {@link vfiowb.common.conformance.Transcript} that names regions by index and never shows a
 * file offset or a virtual address, so the transcripts of two stages can be compared line by
 * line ({@link vfiowb.common.conformance.Transcript#diff}).
 */
package vfiowb.common.conformance;
