/**
 * include/uapi/linux/vfio.h: ioctl numbers, constants and byte-exact little-endian codecs of
 * the structures and capability chains that cross the device-file ioctl boundary.
 *
 * <p><b>How C integer types are held in Java.</b> The choice is the same in every record of
 * this package:
 * <ul>
 *   <li>{@code __u16} is an {@code int} in [0, 0xffff];</li>
 *   <li>{@code __u32} is a {@code long} in [0, 2<sup>32</sup>), so that ordinary Java
 *       comparisons ({@code argsz < 32}) have the C meaning; compact constructors refuse values
 *       outside that range;</li>
 *   <li>{@code __u64} / {@code __aligned_u64} is a {@code long} holding the bit pattern: every
 *       value is representable, values of 2<sup>63</sup> and above read as negative, so compare
 *       them with {@link java.lang.Long#compareUnsigned};</li>
 *   <li>{@code __s32} is an {@code int}.</li>
 * </ul>
 * Flag, index and id constants that always fit below 2<sup>31</sup> are {@code int}; a
 * constant with bit 31 set ({@link vfiowb.common.uapi.VfioRegionType#VFIO_REGION_TYPE_PCI_VENDOR_TYPE})
 * is a {@code long} so that it widens without sign extension.
 *
 * <p><b>One source of truth for layouts.</b> Each structure publishes a {@link
 * vfiowb.common.uapi.UapiStruct} laid out by C's natural-alignment rules as on x86-64 (where
 * {@code __aligned_u64} and {@code __u64} agree; the header uses {@code __aligned_u64} so that
 * i386 gets the same layout). The codecs read and write only through that descriptor's fields,
 * so the table a CLI prints is the layout the codec uses. Masks and shifts are not published as
 * constants (see DESIGN.md §6); they are operations on the types that own them.
 *
 * <p>Capability chains: {@link vfiowb.common.uapi.VfioInfoCap} is the kernel's builder
 * (drivers/vfio/vfio_main.c), {@link vfiowb.common.uapi.CapChain} is the defensive walk a careful
 * client performs on a reply, {@link vfiowb.common.uapi.RegionInfoReply} decodes a whole
 * {@code VFIO_DEVICE_GET_REGION_INFO} reply.
 */
package vfiowb.common.uapi;
