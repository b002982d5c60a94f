package vfiowb.wccookie.drivers.ccw;

import static vfiowb.common.errno.Errno.EAGAIN;
import static vfiowb.common.errno.Errno.EBUSY;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.EIO;
import static vfiowb.common.errno.Errno.EOPNOTSUPP;

import vfiowb.common.Models;

/**
 * drivers/s390/cio/vfio_ccw_fsm.c: the state machine the I/O and async regions drive.
 *
 * <p>Simplifications: the channel program of a START request is neither translated
 * ({@code cp_init}, {@code cp_prefetch}) nor run; START SUBCHANNEL, HALT and CLEAR all get
 * condition code 0 and the model's subchannel presents the interrupt at once, so the FSM is
 * back in IDLE when the write returns (the IRB is not modelled). The transport-mode refusal and
 * the function-control dispatch are the kernel's.
 */
@Models("drivers/s390/cio/vfio_ccw_fsm.c")
final class VfioCcwFsm {
    /** {@code enum vfio_ccw_event} (the events the model raises). */
    enum Event { IO_REQ, ASYNC_REQ, OPEN, CLOSE }

    /** {@code SCSW_FCTL_START_FUNC} etc., as bits of SCSW byte 2 (fctl is bits 17-19, big-endian). */
    private static final int SCSW_FCTL_START_FUNC = 0x40;
    private static final int SCSW_FCTL_HALT_FUNC = 0x20;
    private static final int SCSW_FCTL_CLEAR_FUNC = 0x10;
    /** The transport-mode bit {@code orb->tm.b}: bit 13 of ORB word 1, i.e. byte 5, 0x04. */
    private static final int ORB_TM_BYTE = 5;
    private static final int ORB_TM_BIT = 0x04;
    private static final int SCSW_AREA = 12;
    private static final int RET_CODE = 120;
    /** {@code VFIO_CCW_ASYNC_CMD_HSCH}, {@code VFIO_CCW_ASYNC_CMD_CSCH}. */
    private static final long VFIO_CCW_ASYNC_CMD_HSCH = 1 << 0;
    private static final long VFIO_CCW_ASYNC_CMD_CSCH = 1 << 1;

    private VfioCcwFsm() {}

    /** {@code vfio_ccw_fsm_event}: {@code vfio_ccw_jumptable[state][event]}. */
    @Models("drivers/s390/cio/vfio_ccw_private.h:vfio_ccw_fsm_event")
    static void vfioCcwFsmEvent(VfioCcwPrivate priv, Event event) {
        switch (event) {
            case OPEN:
                if (priv.state == VfioCcwPrivate.State.STANDBY) {
                    fsmOpen(priv);
                } else if (priv.state != VfioCcwPrivate.State.NOT_OPER) {
                    priv.state = VfioCcwPrivate.State.NOT_OPER;
                }
                break;
            case CLOSE:
                if (priv.state == VfioCcwPrivate.State.STANDBY) {
                    priv.state = VfioCcwPrivate.State.NOT_OPER;
                } else if (priv.state != VfioCcwPrivate.State.NOT_OPER) {
                    fsmClose(priv);
                }
                break;
            case IO_REQ:
                switch (priv.state) {
                    case IDLE:
                        fsmIoRequest(priv);
                        break;
                    case CP_PROCESSING:
                        setIoRetCode(priv, -EAGAIN);
                        break;
                    case CP_PENDING:
                        setIoRetCode(priv, -EBUSY);
                        break;
                    default:
                        setIoRetCode(priv, -EIO);
                        break;
                }
                break;
            case ASYNC_REQ:
                switch (priv.state) {
                    case IDLE:
                    case CP_PENDING:
                        fsmAsyncRequest(priv);
                        break;
                    case CP_PROCESSING:
                        VfioCcwRegion.putBe32(priv.cmdRegion(), 4, -EAGAIN);
                        break;
                    default:
                        VfioCcwRegion.putBe32(priv.cmdRegion(), 4, -EIO);
                        break;
                }
                break;
            default:
                throw new IllegalStateException("unhandled event " + event);
        }
    }

    /** {@code fsm_open}: enable the subchannel; IDLE. */
    @Models("drivers/s390/cio/vfio_ccw_fsm.c:fsm_open")
    private static void fsmOpen(VfioCcwPrivate priv) {
        priv.state = VfioCcwPrivate.State.IDLE;
    }

    /** {@code fsm_close}: disable the subchannel; STANDBY. */
    @Models("drivers/s390/cio/vfio_ccw_fsm.c:fsm_close")
    private static void fsmClose(VfioCcwPrivate priv) {
        priv.state = VfioCcwPrivate.State.STANDBY;
    }

    /**
     * {@code fsm_io_request}: copy the SCSW from the I/O region and act on its function control.
     * START with a transport-mode ORB is -EOPNOTSUPP, START otherwise runs (see the class
     * comment); HALT and CLEAR belong to the async region (-EOPNOTSUPP); with no function bit
     * the {@code ret_code} userspace wrote stays.
     */
    @Models("drivers/s390/cio/vfio_ccw_fsm.c:fsm_io_request")
    private static void fsmIoRequest(VfioCcwPrivate priv) {
        priv.state = VfioCcwPrivate.State.CP_PROCESSING;
        int fctl = priv.ioRegion[SCSW_AREA + 2] & 0x70;
        if ((fctl & SCSW_FCTL_START_FUNC) != 0) {
            if ((priv.ioRegion[ORB_TM_BYTE] & ORB_TM_BIT) != 0) {
                setIoRetCode(priv, -EOPNOTSUPP);
            } else {
                setIoRetCode(priv, 0);
                priv.state = VfioCcwPrivate.State.CP_PENDING;
                fsmIrq(priv);
                return;
            }
        } else if ((fctl & SCSW_FCTL_HALT_FUNC) != 0) {
            setIoRetCode(priv, -EOPNOTSUPP);
        } else if ((fctl & SCSW_FCTL_CLEAR_FUNC) != 0) {
            setIoRetCode(priv, -EOPNOTSUPP);
        }
        priv.state = VfioCcwPrivate.State.IDLE;
    }

    /** {@code fsm_irq} and the I/O todo work: the channel program ended; IDLE. */
    @Models("drivers/s390/cio/vfio_ccw_drv.c:vfio_ccw_sch_io_todo")
    private static void fsmIrq(VfioCcwPrivate priv) {
        priv.state = VfioCcwPrivate.State.IDLE;
    }

    /** {@code fsm_async_request}: HSCH or CSCH, anything else -EINVAL, into {@code ret_code}. */
    @Models("drivers/s390/cio/vfio_ccw_fsm.c:fsm_async_request")
    private static void fsmAsyncRequest(VfioCcwPrivate priv) {
        byte[] cmd = priv.cmdRegion();
        long command = VfioCcwRegion.getBe32(cmd, 0);
        long ret;
        if (command == VFIO_CCW_ASYNC_CMD_HSCH) {
            ret = 0;
        } else if (command == VFIO_CCW_ASYNC_CMD_CSCH) {
            ret = 0;
        } else {
            ret = -EINVAL;
        }
        VfioCcwRegion.putBe32(cmd, 4, ret);
    }

    private static void setIoRetCode(VfioCcwPrivate priv, int ret) {
        VfioCcwRegion.putBe32(priv.ioRegion, RET_CODE, ret);
    }

    /** {@code io_region->ret_code}, as the {@code int} the write path returns. */
    static int ioRetCode(VfioCcwPrivate priv) {
        return (int) VfioCcwRegion.getBe32(priv.ioRegion, RET_CODE);
    }
}
