// SPDX-License-Identifier: MIT
#include "batch.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <thread>
#include <vecta/core/error.hpp>
#include <vecta/io/image_file.hpp>

#include "codecs.hpp"

namespace vecta::cli {
namespace fs = std::filesystem;

namespace {
volatile std::sig_atomic_t g_signal = 0;
// Self-pipe (read end, write end): the handler wakes run_batch's watcher thread, which ends the
// process while a file is still computing (the library's stages have no cancellation point, so a
// flag checked between files alone left SIGINT / SIGTERM unseen for as long as one file took).
// Created once, never closed (a handler must not write to a closed, reused descriptor).
int g_wake[2] = {-1, -1};

extern "C" void on_signal(int sig) {
    g_signal = sig;
    if (g_wake[1] >= 0) {
        const int saved = errno;
        [[maybe_unused]] const ssize_t r = ::write(g_wake[1], "s", 1);  // non-blocking
        errno = saved;
    }
}

void install_signal_handlers() {
    if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC) == 0)
        ::fcntl(g_wake[1], F_SETFL, ::fcntl(g_wake[1], F_GETFL) | O_NONBLOCK);
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

using clock_type = std::chrono::steady_clock;
double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

std::vector<std::string> split_patterns(const std::string& glob) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= glob.size()) {
        const std::size_t comma = std::min(glob.find(',', start), glob.size());
        if (comma > start) out.push_back(glob.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

bool matches(const std::vector<std::string>& patterns, const std::string& name) {
    for (const auto& p : patterns)
        if (::fnmatch(p.c_str(), name.c_str(), FNM_CASEFOLD) == 0) return true;
    return false;
}

std::string display(const fs::path& p) { return p.string(); }

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Items of the inputs, in order: explicit files as given, folder contents sorted by path.
/// `preset` receives an error for items known to fail before any work (not a regular file,
/// an output shared with an earlier item, an unreadable folder).
std::vector<item> plan(const batch_spec& spec, const batch_options& o, std::vector<std::string>& preset) {
    if (o.inputs.empty()) throw usage_error("no INPUT given");
    const bool has_stdin = std::count(o.inputs.begin(), o.inputs.end(), "-") > 0;
    if (has_stdin && o.inputs.size() > 1) throw usage_error("'-' (stdin) must be the only INPUT");
    std::error_code ec;
    const bool single = o.inputs.size() == 1 && (has_stdin || !fs::is_directory(o.inputs[0], ec));
    const bool writes = !spec.output_ext.empty();
    fs::path out_dir;  // folder mode target
    bool out_is_file = false;
    if (writes) {
        if (o.output.empty()) {
            if (spec.output_required) throw usage_error("-o OUTPUT is required (a file, a folder or - for stdout)");
        } else if (single) {
            out_is_file = o.output == "-" || !(fs::is_directory(o.output, ec) || o.output.back() == '/');
            if (!out_is_file) out_dir = o.output;
        } else {
            if (o.output == "-") throw usage_error("several inputs or a folder need -o FOLDER, not -");
            if (fs::exists(o.output, ec) && !fs::is_directory(o.output, ec))
                throw usage_error("-o '" + o.output +
                                  "' exists and is not a folder (several inputs or a folder need -o FOLDER)");
            out_dir = o.output;
        }
    }
    const auto patterns = split_patterns(o.glob);
    std::vector<item> items;
    auto add = [&](item it, std::string error) {
        items.push_back(std::move(it));
        preset.push_back(std::move(error));
    };
    auto mirrored = [&](const fs::path& rel) {
        fs::path p = out_dir / rel;
        p.replace_extension(spec.output_ext);
        return p;
    };
    for (const std::string& in : o.inputs) {
        if (in == "-") {
            item it{.input = {}, .name = "-", .output = {}, .to_stdout = false};
            if (writes && out_is_file) {
                if (o.output == "-")
                    it.to_stdout = true;
                else
                    it.output = o.output;
            } else if (writes && !o.output.empty()) {
                throw usage_error("stdin input needs -o FILE or -o -, not a folder");
            }
            add(std::move(it), {});
            continue;
        }
        const fs::path root(in);
        if (!fs::is_directory(root, ec)) {  // a file (or missing: reported when read)
            item it{.input = root, .name = in, .output = {}, .to_stdout = false};
            if (writes && out_is_file) {
                if (o.output == "-")
                    it.to_stdout = true;
                else
                    it.output = o.output;
            } else if (writes && !out_dir.empty()) {
                it.output = mirrored(root.filename());
                it.make_dirs = true;
            }
            add(std::move(it), {});
            continue;
        }
        // A folder: every entry whose name matches --glob, recursively (directory symlinks are
        // not followed, so there are no cycles). A matching entry that is not a regular file (a
        // folder named x.png, a socket) is reported; folders are still walked into.
        struct found {
            fs::path path;
            std::string error;
        };
        std::vector<found> entries;
        fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
        if (ec) {
            add(item{.input = root, .name = in, .output = {}, .to_stdout = false},
                "cannot read folder: " + ec.message());
            continue;
        }
        for (; it != end; it.increment(ec)) {
            if (ec) {
                entries.push_back({root, "cannot read folder: " + ec.message()});
                break;
            }
            const fs::path& p = it->path();
            if (!matches(patterns, p.filename().string())) continue;
            std::error_code sec;
            if (it->is_regular_file(sec))
                entries.push_back({p, {}});
            else if (it->is_directory(sec))
                entries.push_back({p, "is a folder, not a file (its name matches --glob)"});
            else
                entries.push_back({p, "not a regular file"});
        }
        std::sort(entries.begin(), entries.end(), [](const found& a, const found& b) { return a.path < b.path; });
        for (auto& f : entries) {
            item x{.input = f.path, .name = display(f.path), .output = {}, .to_stdout = false};
            if (writes && !out_dir.empty()) {
                x.output = mirrored(f.path.lexically_relative(root));
                x.make_dirs = true;
            }
            add(std::move(x), std::move(f.error));
        }
    }
    // Two inputs may map to one output (a.png and a.jpg to a.svg): the later one fails.
    std::map<fs::path, std::string> owner;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].output.empty() || !preset[i].empty()) continue;
        const auto key = items[i].output.lexically_normal();
        auto [pos, fresh] = owner.emplace(key, items[i].name);
        if (!fresh) preset[i] = "its output '" + display(items[i].output) + "' is also " + pos->second + "'s output";
    }
    return items;
}

/// Progress bar on stderr: files done, rate, ETA; drawn only after the first second.
class progress {
public:
    progress(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {
        if (enabled_) thread_ = std::thread([this] { loop(); });
    }
    ~progress() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
        std::lock_guard lock(stderr_mutex);
        clear();
    }
    /// Prints a message line on stderr, above the bar.
    void message(const std::string& text) {
        std::lock_guard lock(stderr_mutex);
        clear();
        std::fputs(text.c_str(), stderr);
        std::fflush(stderr);
    }
    std::atomic<std::size_t> done{0}, failed{0};
    std::mutex stderr_mutex;

private:
    void clear() {
        if (!drawn_) return;
        std::fputs("\r\x1b[K", stderr);
        drawn_ = false;
    }
    void loop() {
        const auto t0 = clock_type::now();
        std::unique_lock lock(mutex_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) {
            const double s = seconds_since(t0);
            if (s < 1.0) continue;
            const std::size_t d = done.load(), f = failed.load();
            const double rate = double(d) / s;
            char eta[32] = "--:--";
            if (d > 0) {
                const long left = long(double(total_ - d) / rate + 0.5);
                std::snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
            }
            constexpr int width = 24;
            const int filled = int(double(width) * double(d) / double(total_));
            std::string bar(std::size_t(filled), '#');
            bar.append(std::size_t(width - filled), '-');
            char failed_text[48] = "";
            if (f) std::snprintf(failed_text, sizeof failed_text, ", %zu failed", f);
            std::lock_guard out(stderr_mutex);
            std::fprintf(stderr, "\r\x1b[K[%s] %zu/%zu files%s, %.1f files/s, ETA %s", bar.c_str(), d, total_,
                         failed_text, rate, eta);
            std::fflush(stderr);
            drawn_ = true;
        }
    }
    bool enabled_;
    std::size_t total_;
    bool stop_ = false, drawn_ = false;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::thread thread_;
};

void ensure_parent(const fs::path& out) {
    const fs::path dir = out.parent_path();
    if (dir.empty()) return;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir))
        throw vecta::io_error("cannot create folder '" + display(dir) + "'" + (ec ? ": " + ec.message() : ""));
}
}  // namespace

bool interrupted() noexcept { return g_signal != 0; }

std::string json_string(std::string_view s) {
    std::string out = "\"";
    // The length of the well-formed UTF-8 sequence at i (RFC 3629 §4: no overlong forms, no
    // surrogates, nothing above U+10FFFF), 0 when the byte there does not start one.
    auto utf8_length = [&](std::size_t i) -> std::size_t {
        const auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
        const unsigned c = at(0);
        const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
            return at(k) >= lo && at(k) <= hi;
        };
        if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
        if (c >= 0xE0 && c <= 0xEF) {
            const bool ok = cont(1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) && cont(2);
            return ok ? 3 : 0;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            const bool ok = cont(1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) && cont(2) && cont(3);
            return ok ? 4 : 0;
        }
        return 0;
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += s[i++];
        } else if (c < 0x20 || c >= 0x80) {
            const std::size_t n = c < 0x80 ? 0 : utf8_length(i);
            if (n) {  // valid UTF-8: as is
                out.append(s.substr(i, n));
                i += n;
                continue;
            }
            // A control character, or a byte that is not valid UTF-8 (file names are bytes on
            // POSIX): \u00XX of the byte, so that every JSON parser accepts the line.
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            ++i;
        } else {
            out += s[i++];
        }
    }
    return out + "\"";
}

void add_batch_options(CLI::App& app, batch_options& o, std::string_view default_glob, bool with_output) {
    o.glob = std::string(default_glob);
    app.add_option("INPUT", o.inputs, "input files, folders (walked recursively) or - for stdin")->required();
    if (with_output)
        app.add_option("-o,--output", o.output,
                       "output file, folder (created; mirrors the input tree) or - for stdout");
    app.add_option("--glob", o.glob, "comma-separated name patterns taken from folders (case-insensitive)")
        ->capture_default_str();
    app.add_option("-j,--jobs", o.jobs, "files processed in parallel (0 = one per hardware thread)")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("-q,--quiet", o.quiet, "no progress bar and no summary on stderr");
    app.add_flag("--stats", o.stats, "one JSON line per file and a summary line (stdout; stderr when the output is -)");
    if (with_output)
        app.add_flag("--overwrite", o.overwrite,
                     "replace existing output files (default: an existing output is an error for that file)");
}

std::vector<unsigned char> read_input(const fs::path& path, const std::string& name) {
    const std::size_t max_bytes = vecta::codecs::max_input_bytes();
    if (!path.empty()) return vecta::io::read_file(path, max_bytes);
    std::vector<unsigned char> bytes;
    unsigned char buf[1 << 16];
    for (;;) {
        const ssize_t got = ::read(STDIN_FILENO, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw vecta::io_error("cannot read " + name + " (stdin)");
        if (got == 0) break;
        if (std::size_t(got) > max_bytes - bytes.size())
            throw vecta::io_error(name + " (stdin) is larger than the input limit of " + std::to_string(max_bytes) +
                                  " bytes");
        if (bytes.size() + std::size_t(got) > bytes.capacity()) {  // doubling, straight to max_bytes near it
            const std::size_t want = std::max(bytes.capacity() * 2, bytes.size() + std::size_t(got));
            bytes.reserve(want > max_bytes / 2 ? max_bytes : want);
        }
        bytes.insert(bytes.end(), buf, buf + got);
    }
    return bytes;
}

void write_stdout(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
        throw vecta::io_error("cannot write to stdout");
}

void write_output(const fs::path& path, std::string_view bytes, bool overwrite) {
    fs::path tmp = path;
    tmp += "." + std::to_string(::getpid()) + ".vecta-tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) {  // left by an earlier process of the same id
        ::unlink(tmp.c_str());
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
    if (fd < 0) throw vecta::io_error("cannot create '" + display(tmp) + "': " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t got = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += std::size_t(got);
    }
    const int write_errno = errno;
    const bool written = (::close(fd) == 0) && done == bytes.size();
    auto fail = [&](const std::string& why) {
        ::unlink(tmp.c_str());
        throw vecta::io_error(why);
    };
    if (!written) fail("cannot write '" + display(path) + "': " + std::strerror(write_errno));
    if (interrupted()) fail("interrupted");
    if (overwrite) {
        if (std::rename(tmp.c_str(), path.c_str()) != 0)
            fail("cannot rename to '" + display(path) + "': " + std::strerror(errno));
        return;
    }
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return;
    if (errno != EINVAL && errno != ENOSYS) {
        const int e = errno;
        fail(e == EEXIST ? "'" + display(path) + "' exists (use --overwrite)"
                         : "cannot rename to '" + display(path) + "': " + std::strerror(e));
    }
#endif
    // No renameat2 on this file system: a hard link fails when the target exists.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        fail(e == EEXIST ? "'" + display(path) + "' exists (use --overwrite)"
                         : "cannot write '" + display(path) + "': " + std::strerror(e));
    }
    ::unlink(tmp.c_str());
}

std::string encode_output(const item& it, image_view<const std::uint8_t> img) {
    if (it.output.empty()) return codecs::encode(img, codecs::format::png);
    const codecs::format f = codecs::format_from_name(it.output.extension().string());
    if (f == codecs::format::other)
        throw vecta::invalid_argument("output '" + display(it.output) +
                                      "' must end in .png, .jpg, .jpeg, .webp, .tif or .tiff");
    return codecs::encode(img, f, {.quality = 90});
}

int parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
        return -1;
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
}

int run_batch(const batch_spec& spec, const batch_options& o,
              const std::function<result(const item&, bool parallel)>& work,
              const std::function<int(const std::vector<item>&, const std::vector<std::optional<result>>&)>& after) {
    const std::string prefix = "vecta " + spec.command + ": ";
    std::vector<std::string> preset;
    std::vector<item> items;
    try {
        items = plan(spec, o, preset);
    } catch (const usage_error& e) {
        std::fprintf(stderr, "%s%s (see vecta %s --help)\n", prefix.c_str(), e.what(), spec.command.c_str());
        return 2;
    }
    install_signal_handlers();
    const auto t0 = clock_type::now();
    const std::size_t n = items.size();
    const bool stdout_used = std::any_of(items.begin(), items.end(), [](const item& it) { return it.to_stdout; });
    std::FILE* stats_out = stdout_used ? stderr : stdout;
    std::vector<std::optional<result>> results(n);
    std::vector<std::string> errors(n);
    std::vector<double> times(n);
    std::vector<std::atomic<int>> state(n);  // 0 pending, 1 ok, 2 failed
    std::atomic<std::size_t> next{0};
    std::size_t cursor = 0;
    std::mutex emit_mutex;
    unsigned jobs = o.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.jobs;
    jobs = unsigned(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
    progress bar(n > 1 && !o.quiet && ::isatty(STDERR_FILENO), n);

    auto emit = [&] {  // results in input order: report lines and --stats
        std::lock_guard lock(emit_mutex);
        for (; cursor < n && state[cursor].load() != 0; ++cursor) {
            const std::size_t i = cursor;
            const bool ok = state[i].load() == 1;
            if (ok && !results[i]->line.empty()) std::fputs(results[i]->line.c_str(), stdout);
            if (o.stats) {
                std::string s = "{\"file\": " + json_string(items[i].name);
                if (!spec.output_ext.empty())
                    s += ", \"output\": " + json_string(items[i].to_stdout ? "-" : display(items[i].output));
                s += ok ? ", \"ok\": true" : ", \"ok\": false, \"error\": " + json_string(errors[i]);
                if (ok && !results[i]->fields.empty()) s += ", " + results[i]->fields;
                char t[48];
                std::snprintf(t, sizeof t, ", \"total_ms\": %.2f}\n", times[i]);
                s += t;
                std::fputs(s.c_str(), stats_out);
            }
        }
        std::fflush(stdout);
        if (stats_out != stdout) std::fflush(stats_out);
    };
    // Shared while a finished item is written and reported; unique for the final report, which
    // the watcher thread below makes (and ends the process) when a signal comes while files still
    // compute: what was written stays complete, no temporary file is left, and nothing waits for
    // the file in progress. Never destroyed: the detached watcher may lock it until the process ends.
    static std::shared_mutex& exit_mutex = *new std::shared_mutex;
    static bool finished = false;  // the final report is made (under exit_mutex); run_batch runs once
    auto process = [&](std::size_t i, bool parallel) {
        const auto t = clock_type::now();
        const item& it = items[i];
        std::shared_lock hold(exit_mutex, std::defer_lock);
        try {
            if (!preset[i].empty()) throw vecta::io_error(preset[i]);
            std::error_code ec;
            if (!it.output.empty() && !o.overwrite && fs::exists(fs::symlink_status(it.output, ec)))
                throw vecta::io_error("'" + display(it.output) + "' exists (use --overwrite)");
            // Never replace the input with its own result, --overwrite or not (the same file by
            // another name, a hard link or a symlink included).
            if (!it.output.empty() && !it.input.empty() && fs::equivalent(it.input, it.output, ec))
                throw vecta::io_error("'" + display(it.output) + "' is the input file; choose another output");
            result r = work(it, parallel);
            hold.lock();
            if (!it.output.empty()) {
                if (it.make_dirs) ensure_parent(it.output);
                write_output(it.output, r.bytes, o.overwrite);
            } else if (it.to_stdout) {
                if (interrupted()) throw vecta::io_error("interrupted");
                write_stdout(r.bytes);
            }
            r.bytes.clear();
            r.bytes.shrink_to_fit();
            results[i] = std::move(r);
            times[i] = seconds_since(t) * 1e3;
            state[i].store(1);
        } catch (const std::exception& e) {
            if (!hold.owns_lock()) hold.lock();
            // Out of memory for this file (the others go on): one line naming the file, not
            // the bare "std::bad_alloc".
            errors[i] = dynamic_cast<const std::bad_alloc*>(&e)
                            ? std::string("out of memory (std::bad_alloc): the input or its result does not fit")
                            : e.what();
            times[i] = seconds_since(t) * 1e3;
            state[i].store(2);
            if (!interrupted() || errors[i] != "interrupted") {
                bar.failed.fetch_add(1);
                bar.message(prefix + it.name + ": " + errors[i] + "\n");
            }
        }
        bar.done.fetch_add(1);
        emit();
    };
    auto worker = [&](bool parallel) {
        for (std::size_t i; !interrupted() && (i = next.fetch_add(1)) < n;) process(i, parallel);
    };
    // Prints the summary (--stats line, interrupted / totals on stderr); returns the exit status.
    auto report = [&](int sig, int extra) {
        const double secs = seconds_since(t0);
        std::size_t ok = 0, failed = 0;
        for (std::size_t i = 0; i < n; ++i) {
            ok += state[i].load() == 1;
            failed += state[i].load() == 2 && errors[i] != "interrupted";
        }
        if (o.stats) {
            std::fprintf(stats_out,
                         "{\"summary\": true, \"files\": %zu, \"ok\": %zu, \"failed\": %zu, \"interrupted\": %s, "
                         "\"jobs\": %u, \"s\": %.3f, \"files_per_s\": %.2f}\n",
                         n, ok, failed, sig ? "true" : "false", jobs, secs,
                         secs > 0 ? double(ok + failed) / secs : 0.0);
            std::fflush(stats_out);
        }
        if (sig) {
            std::fprintf(stderr, "%sinterrupted: %zu of %zu files done, %zu failed; no partial output left\n",
                         prefix.c_str(), ok, n, failed);
            return 128 + sig;
        }
        if (!o.quiet && n > 1)
            std::fprintf(stderr, "%s%zu files: %zu done, %zu failed, %.2f s (%.1f files/s)\n", prefix.c_str(), n, ok,
                         failed, secs, secs > 0 ? double(n) / secs : 0.0);
        if (n == 0) {
            std::fprintf(stderr, "%sno input files (--glob '%s')\n", prefix.c_str(), o.glob.c_str());
            return 1;
        }
        return std::max(failed ? 1 : 0, extra);
    };
    // Woken by on_signal: waits for the items being written, reports and ends the process with
    // 128 + signal, abandoning the files still computing. Detached, not joined: the end of the
    // batch need not wait for it to be scheduled (a wake-up and join cost up to a millisecond on a
    // loaded machine); once `finished` is set it touches none of this function's locals.
    if (g_wake[0] >= 0)
        std::thread([&] {
            char c;
            while (::read(g_wake[0], &c, 1) < 0 && errno == EINTR) {
            }
            const int sig = g_signal;
            if (!sig) return;
            std::unique_lock lock(exit_mutex);
            if (finished) return;
            finished = true;
            bar.stop();
            const int code = report(sig, 0);
            std::fflush(nullptr);
            std::_Exit(code);
        }).detach();
    if (jobs <= 1) {
        worker(false);
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(worker, true);
        for (auto& th : pool) th.join();
    }
    {
        std::unique_lock lock(exit_mutex);
        bar.stop();
    }
    const int extra = !g_signal && after ? after(items, results) : 0;
    std::unique_lock lock(exit_mutex);
    finished = true;
    const int status = report(g_signal, extra);
    return status;
}

}  // namespace vecta::cli
