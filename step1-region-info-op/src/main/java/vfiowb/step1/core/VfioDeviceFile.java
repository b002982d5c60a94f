package vfiowb.step1.core;

import vfiowb.common.Models;

/**
 * {@code struct vfio_device_file}: one open file of a device (drivers/vfio/vfio.h). The model
 * opens files the way the group path does after {@code VFIO_GROUP_GET_DEVICE_FD}: access is
 * granted once the device is open.
 */
@Models("drivers/vfio/vfio.h:struct vfio_device_file")
public final class VfioDeviceFile {
    /**
     * {@code df->group != NULL}: set by the group path before it opens the device; a cdev file
     * ({@link VfioDeviceCdev}) leaves it clear.
     */
    private volatile boolean group;
    private final VfioDevice device;
    private volatile boolean accessGranted;

    VfioDeviceFile(VfioDevice device) {
        this.device = device;
    }

    /** {@code df->device}. */
    public VfioDevice device() {
        return device;
    }

    /** {@code smp_load_acquire(&df->access_granted)}. */
    public boolean accessGranted() {
        return accessGranted;
    }

    /** Whether the file was opened through the group ({@code df->group}), not the cdev. */
    public boolean group() {
        return group;
    }

    /** {@code df->group = device->group}, before the group path opens the device. */
    void setGroup() {
        group = true;
    }

    /** {@code smp_store_release(&df->access_granted, true)} after a successful open. */
    void grantAccess() {
        accessGranted = true;
    }
}
