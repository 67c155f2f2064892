#pragma once

namespace hostsec::ui {
class MainWindow;
}

namespace hostsec::console {

/// `hostsec-console --profile FILE --bench`: the console measures itself on the domain it opens
/// and prints one JSON line per milestone on stdout, then quits. Run by `hostsec-bench console`
/// (docs/performance.md says what each line means). Without --bench nothing of this runs.
///
/// Milestones, in order ("t_ns" is CLOCK_MONOTONIC, so the caller can subtract its own spawn
/// time; "since_start_ms" is from the kernel's process start time, 10 ms resolution):
///   window    the first paint of the topology view
///   topology  the first paint of the topology after every agent's status and bindings arrived
///   history   the events table shows the history and the backfill has been quiet for 1 s
///   filter    one per filter change: filter bar -> the table's first page painted ("ms")
///   jump      the events table scrolled to a row and repainted synchronously ("ms")
///   rss       VmHWM of the process, then the console quits with exit code 0
///   timeout   a step did not finish in time; the console quits with exit code 2
void startBench(ui::MainWindow &window);

} // namespace hostsec::console
