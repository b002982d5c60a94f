package vfiowb.workbench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vfiowb.common.stage.Stage;

/**
 * What a stage's driver registry says about its {@code vfio_device_ops} tables. Every stage
 * module keeps a {@code DriverRegistry} at its package root with {@code opsTables()}, a map from
 * the C identifier to the table, whose {@code membersSet()} lists the C members set. The
 * {@link Stage} service does not expose it, so it is read reflectively; a stage without it
 * reports nothing.
 */
public final class StageInfo {
    /**
     * The members {@code struct vfio_device_ops} had before the series (v6.18, as far as the
     * model keeps them); any other member a table sets is one the series adds.
     */
    private static final Set<String> BEFORE_SERIES = Set.of("name", "init", "release",
            "open_device", "close_device", "read", "write", "ioctl", "mmap", "request",
            "match", "dma_unmap", "device_feature", "bind_iommufd", "unbind_iommufd",
            "attach_ioas", "detach_ioas", "pasid_attach_ioas", "pasid_detach_ioas");

    private StageInfo() {}

    /**
     * The ops tables of a stage and the members each sets.
     *
     * @param tables C identifier to the members set, in registration order
     * @param seriesMembers members that the series adds, with how many tables set each
     */
    public record OpsTables(Map<String, List<String>> tables, Map<String, Integer> seriesMembers) {
        public int count() {
            return tables.size();
        }

        /**
         * The tables by the path each call takes, from the members they set:
         * {@code region_info} is {@code cookie} (get_region_info_obj: the core places the
         * region and writes its offset), {@code get_region_info_caps} (v6.19: the driver writes
         * the offset) or {@code ioctl} (neither: the driver's ioctl answers, or nothing does);
         * {@code read/write/mmap} is {@code cookie} (any *_obj member: the core resolves the
         * offset), {@code file offset} (read, write or mmap: the driver decodes it) or
         * {@code none}. Each path's tables in registration order; empty paths left out.
         */
        public Map<String, Map<String, List<String>>> paths() {
            Map<String, List<String>> info = new LinkedHashMap<>();
            Map<String, List<String>> data = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : tables.entrySet()) {
                List<String> m = e.getValue();
                String i = m.contains("get_region_info_obj") ? "cookie"
                        : m.contains("get_region_info_caps") ? "get_region_info_caps" : "ioctl";
                boolean obj = m.contains("mmap_obj") || m.contains("read_obj")
                        || m.contains("write_obj");
                boolean old = m.contains("mmap") || m.contains("read") || m.contains("write");
                String d = obj && old ? "cookie and file offset" : obj ? "cookie"
                        : old ? "file offset" : "none";
                info.computeIfAbsent(i, k -> new ArrayList<>()).add(e.getKey());
                data.computeIfAbsent(d, k -> new ArrayList<>()).add(e.getKey());
            }
            Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
            out.put("region_info", info);
            out.put("read/write/mmap", data);
            return out;
        }
    }

    /** The stage's ops tables, or null when its registry cannot be read. */
    public static OpsTables opsTables(Stage stage) {
        Map<?, ?> raw;
        try {
            Class<?> registry = Class.forName(stage.packageRoot() + ".DriverRegistry", true,
                    stage.getClass().getClassLoader());
            Method m = registry.getMethod("opsTables");
            raw = (Map<?, ?>) m.invoke(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
        Map<String, List<String>> tables = new LinkedHashMap<>();
        Map<String, Integer> series = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            List<String> members = new ArrayList<>();
            try {
                Object l = e.getValue().getClass().getMethod("membersSet").invoke(e.getValue());
                for (Object o : (List<?>) l) {
                    members.add(String.valueOf(o));
                }
            } catch (ReflectiveOperationException | ClassCastException ex) {
                return null;
            }
            tables.put(String.valueOf(e.getKey()), List.copyOf(members));
            for (String member : members) {
                if (!BEFORE_SERIES.contains(member)) {
                    series.merge(member, 1, Integer::sum);
                }
            }
        }
        return new OpsTables(tables, series);
    }
}
