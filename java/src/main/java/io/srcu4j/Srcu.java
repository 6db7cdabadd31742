// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import io.srcu4j.internal.Errno;
import io.srcu4j.internal.ParkingWait;
import io.srcu4j.internal.Srcu4jProperties;
import io.srcu4j.internal.ffm.DirectReadSide;
import io.srcu4j.internal.observe.DomainObserver;
import io.srcu4j.internal.observe.ObservedWait;
import io.srcu4j.internal.observe.SectionOrigins;
import io.srcu4j.internal.path.DomainPath;
import io.srcu4j.internal.path.PathFactory;
import io.srcu4j.internal.path.PathKind;
import io.srcu4j.internal.path.PathSelection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An SRCU domain: read sections that cost a counter increment and a fence at each end (per CPU
 * on the native path, per stripe of threads on the pure-Java one), and updaters that wait for,
 * or queue work behind, a grace period. Readers of one domain never delay updaters of another.
 *
 * <pre>{@code
 * try (ReadGuard g = srcu.read()) {          // reader: never blocks, may sleep inside
 *     Table t = current;                      // (current is a volatile field)
 *     use(t);
 * }
 *
 * Table old = current;                        // updater
 * current = next;
 * srcu.synchronize();                         // every reader that could see old has left
 * old.free();                                 // or: srcu.callSrcu(old::free), without waiting
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * A <em>read section</em> is the code between {@link #read()} and the {@link ReadGuard#close()}
 * of the guard it returned. It <em>began before</em> a call if its {@code read()} returned before
 * that call was made (in happens-before order, or simply earlier in the same thread).
 * <ul>
 *   <li><b>Grace period.</b> {@link #synchronize()} returns only after every read section that
 *       began before it was called has ended: each such section's actions up to its
 *       {@code ReadGuard.close()} happen-before {@code synchronize()} returns. Actions before
 *       {@code synchronize()} is called happen-before the actions of every read section that
 *       begins after it returns.</li>
 *   <li><b>Callbacks.</b> Actions before {@link #callSrcu(Runnable) callSrcu(r)} happen-before
 *       {@code r.run()}. {@code r} runs once, on a worker thread of the shared pool, after a grace period
 *       that began after {@code callSrcu} was called: every read section that began before
 *       {@code callSrcu} has ended (its actions happen-before {@code r.run()}). Callbacks run one
 *       at a time; those queued by one thread run in the order it queued them. Callbacks of
 *       different threads run in no set order among themselves (order them with
 *       {@link #barrier()}).</li>
 *   <li><b>Barrier.</b> {@link #barrier()} returns after every callback whose {@code callSrcu}
 *       returned before {@code barrier()} was called has run; their actions happen-before
 *       {@code barrier()} returns.</li>
 *   <li><b>Close.</b> {@link #close()} refuses while read sections are open. Otherwise it refuses
 *       new callbacks, and runs every queued one after a grace period;
 *       nothing queued is dropped.</li>
 * </ul>
 *
 * <p><b>Where the ordering comes from.</b> On the default path ({@code native-direct}) a Java
 * reader makes no downcall: it adds to its counter set in libsrcu4j's memory with a
 * {@code VarHandle} getAndAdd, a locked instruction that is the full fence [B] (on aarch64 followed
 * by {@code fullFence()}), and leaves with a release store, [C]. The grace period reads those
 * counters in C, with the fences [A], [D], [E], [F] and [G] (the letters are those of
 * {@code native/src/srcu.c}); each pair is argued under the kernel's memory model and as the
 * aarch64 instructions gcc and C2 emit ({@code native/litmus}). On {@code native-downcall} and
 * {@code jna} the increments happen in C, with [B] and [C] inside the library; a downcall is not
 * a synchronization action of the Java memory model, but the JIT treats it as a call to unknown
 * code and does not move Java loads or stores across it. Callbacks never pass through C: the hand-off of the
 * {@code Runnable} given to {@code callSrcu} to the worker is a volatile push and take in Java
 * ([Q]/[R]), and the worker waits for the grace period with the same steps as
 * {@code synchronize()}. On the
 * pure-Java path ({@code java}) every counter and sequence-number access is a volatile access,
 * and each edge is built from synchronization actions of the memory model alone (the package
 * {@code io.srcu4j.internal.heap} maps each letter to them).
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread, platform or virtual. A read section may nest,
 * may block or park, and may end in another thread than the one that began it (hand the guard
 * over with a happens-before edge, e.g. through a concurrent queue). No call waits inside
 * native code: {@code synchronize()}, {@code awaitGracePeriod()}, {@code barrier()} and
 * {@code close()} drive the grace period or poll the drain with non-blocking steps and park
 * between them, on every path, so a virtual thread unmounts while it waits and its carrier stays
 * free for the readers it waits for.
 *
 * <h2>Bounded and asynchronous waits</h2>
 * The plain waits are uninterruptible, as {@link java.util.concurrent.locks.Lock#lock()} is: an
 * interrupt does not end them and stays pending when they return.
 * {@link #synchronizeInterruptibly()}, and the timed {@link #synchronize(Duration)},
 * {@link #awaitGracePeriod(long, Duration)} and {@link #barrier(Duration)}, throw
 * {@link InterruptedException} instead and clear the status, as {@code java.util.concurrent}
 * does. A timed wait that runs out returns {@code false} and leaves nothing behind that needs
 * undoing (the grace period it drove goes on with the next caller or the worker).
 * {@link #gracePeriodAsync()} never blocks: its future completes after a full grace period.
 *
 * <h2>Misuse</h2>
 * <ul>
 *   <li>{@code read()}, {@code synchronize()}, {@code callSrcu()} and {@code barrier()} after
 *       {@code close()} throw {@link IllegalStateException} ("domain closed").
 *       {@link #readersActive()} keeps working.</li>
 *   <li>A {@code null} callback throws {@link NullPointerException}.</li>
 *   <li>{@code barrier()} or {@code close()} from inside one of this domain's callbacks would wait
 *       for itself; both throw {@link IllegalStateException}.</li>
 *   <li>{@code synchronize()}, {@code synchronizeExpedited()}, {@code awaitGracePeriod()} and
 *       {@code barrier()} inside a read section of this domain that the calling thread entered
 *       with {@link #read()} and has not closed would wait for themselves; they throw
 *       {@link IllegalStateException} instead, on every path and kind of thread. Sections begun
 *       with {@link #lock()} belong to no thread and are not counted.</li>
 *   <li>An exception thrown by a callback goes to the domain's
 *       {@linkplain #setUncaughtExceptionHandler uncaught-exception handler}; later callbacks
 *       still run.</li>
 * </ul>
 *
 * <h2>Observing</h2>
 * A domain has a {@linkplain #name() name} ({@link #builder()} sets it), which its
 * {@code toString()}, error messages, stall warnings and JFR events carry; {@link #stats()} counts
 * grace periods, waits and callbacks; named domains have a {@link SrcuMXBean}. A wait for a grace
 * period that goes on past the stall threshold (10 s unless set) logs a warning, with the open
 * sections' threads and stacks in debug mode ({@code -Dsrcu4j.debug.sections=true}). JFR events
 * {@code srcu4j.GracePeriod}, {@code srcu4j.CallbackBatch} and {@code srcu4j.Stall} are off
 * unless a recording enables them. None of this costs a read section anything (debug mode
 * aside).
 *
 * <h2>Memory</h2>
 * {@code close()} stops the domain but does not free its native memory: a {@link Cleaner} frees
 * it once this object is unreachable, so a reader racing {@code close()} never touches freed
 * memory. A domain that becomes unreachable without {@code close()} is closed by that cleaner
 * (running its queued callbacks) and then freed, unless a guard was left open, in which case its
 * memory is kept and a warning logged. The pure-Java path has no native memory: there the cleaner
 * only closes a domain nobody closed.
 */
public final class Srcu implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "srcu4j-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final DomainPath domain;
    /**
     * domain.directReadSide(), and its owner table, home sets and index word: on the
     * native-direct path, read() and the guard's close() reach the counters with no interface
     * call through domain and no load of another object first; each dependent load there would
     * cost more than the counter update. Null and 0 on the other paths.
     */
    private final DirectReadSide direct;
    private final int[] directOwners;
    private final long directHomeSets;
    private final long directIdxWord;
    private final PathSelection path;
    /** The flavor create() was asked for; domain.flavor() is the one it runs. */
    private final ReaderFlavor requestedFlavor;
    /** Name, statistics, waits' events and stall warnings, sections' origins, MXBean. */
    private final DomainObserver observer;
    /** Serialises close() calls, so a second caller waits for the first one's drain. Never
     *  taken by read(), callSrcu() or a callback (close() from a callback fails before it). */
    private final Object closeLock = new Object();
    /** Per thread, for the sections the path does not track itself (see SectionDepth). */
    private final ThreadLocal<SectionDepth> depths = ThreadLocal.withInitial(SectionDepth::new);
    /** Set once, after the native close succeeded; read by every operation's check. */
    private volatile boolean closed;
    /** Opened with closed: a barrier() that finds close begun waits for it. */
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Srcu.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Srcu(DomainPath domain, PathSelection path, ReaderFlavor requestedFlavor, DomainObserver observer) {
        this.domain = domain;
        this.observer = observer;
        this.direct = domain.directReadSide();
        this.directOwners = direct != null ? direct.ownerTable() : null;
        this.directHomeSets = direct != null ? direct.homeSets() : 0;
        this.directIdxWord = direct != null ? direct.idxWord() : 0;
        this.path = path;
        this.requestedFlavor = requestedFlavor;
    }

    /**
     * A builder for a domain with a name, a reader flavor or a stall-warning threshold:
     * {@code Srcu.builder().name("routes").flavor(ReaderFlavor.FAST).build()}.
     *
     * @return a new builder: no name, {@linkplain ReaderFlavor#CLASSIC classic} readers and the
     *         default stall-warning threshold until set
     */
    public static SrcuBuilder builder() {
        return new SrcuBuilder();
    }

    /**
     * Creates a domain with {@linkplain ReaderFlavor#CLASSIC classic} readers; as
     * {@code builder().build()}. Its callbacks run on a small pool of worker threads shared by
     * every domain (at most one per CPU, started when work first needs them), so a domain costs
     * no thread of its own.
     *
     * @return a new open domain
     * @throws UnsatisfiedLinkError     when no path can run here, or the one the
     *                                  {@code srcu4j.path} property names cannot
     *                                  ({@link Srcu4j#unavailabilityCause()} says why the native
     *                                  library did not load)
     * @throws IllegalArgumentException when {@code srcu4j.path} names no path, or
     *                                  {@code srcu4j.stallTimeout} is not a duration
     * @throws Srcu4jException          when the domain cannot be created
     */
    public static Srcu create() {
        return create(ReaderFlavor.CLASSIC);
    }

    /**
     * Creates a domain whose readers use {@code flavor} (see {@link #create()}).
     * The path is the one {@link #describe()} names: the {@code srcu4j.path} property's, or the
     * fastest one available.
     *
     * @param flavor how readers order their counter updates
     * @return a new open domain
     * @throws NullPointerException     when {@code flavor} is null
     * @throws UnsatisfiedLinkError     as {@link #create()}
     * @throws IllegalArgumentException as {@link #create()}
     * @throws Srcu4jException          as {@link #create()}
     */
    public static Srcu create(ReaderFlavor flavor) {
        Objects.requireNonNull(flavor, "create: flavor is null");
        return builder().flavor(flavor).build();
    }

    /**
     * Creates a domain on the given path, whatever {@code srcu4j.path} says (for tests that run
     * one contract on every path).
     *
     * @throws UnsatisfiedLinkError when {@code kind} cannot run here
     */
    static Srcu create(ReaderFlavor flavor, PathKind kind) {
        Objects.requireNonNull(flavor, "create: flavor is null");
        Objects.requireNonNull(kind, "create: path is null");
        return builder().flavor(flavor).path(kind).build();
    }

    /** What {@link SrcuBuilder#build()} does; {@code name} and {@code kind} may be null. */
    static Srcu create(String name, ReaderFlavor flavor, Duration stallTimeout, PathKind kind) {
        PathSelection path = kind != null ? PathSelection.require(kind, "chosen by the caller")
                : PathSelection.choose(Srcu4jProperties.forcedPath());
        DomainPath domain = PathFactory.create(path.kind(), flavor.nativeValue());
        DomainObserver observer = DomainObserver.create(name, domain, stallTimeout);
        Srcu srcu = new Srcu(domain, path, flavor, observer);
        // Refers to the observer and the path's releaser, never to srcu (it must become unreachable).
        Runnable releaser = domain.releaser();
        CLEANER.register(srcu, () -> {
            observer.release();
            releaser.run();
        });
        observer.registerMXBean(srcu);
        return srcu;
    }

    /**
     * The domain's name: the one {@link SrcuBuilder#name} gave, with {@code #2}, {@code #3}, ...
     * appended when another open domain had it, or {@code srcu-<n>} for a domain built without
     * one. No two open domains share a name.
     *
     * @return the name, the same for the domain's life
     */
    public String name() {
        return observer.name();
    }

    /**
     * What the domain has done so far: grace periods, waits, callbacks, read sections open, stall
     * warnings. A racy snapshot (see {@link SrcuStats} for each figure); works after
     * {@link #close()} too. Costs a few reads of shared counters and a sum of the read counters,
     * like {@link #readersActive()}; nothing on the read side counts for it.
     *
     * @return a new snapshot of the domain's figures
     */
    public SrcuStats stats() {
        try {
            return observer.stats();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * {@return the reader flavor this domain runs} It may differ from the one asked for: see
     * {@link ReaderFlavor#FAST}.
     */
    public ReaderFlavor flavor() {
        return ReaderFlavor.fromNative(domain.flavor());
    }

    /**
     * Which path runs this domain and why, and its reader flavor: one line, such as
     * {@code "java (the fastest path available): the SRCU algorithm on the Java heap, ...; readers: classic"}.
     * When a path cannot run here (the native library did not load), the reason is part of it.
     *
     * @return the description, for logs and reports; its wording may change between versions
     */
    public String describe() {
        ReaderFlavor running = flavor();
        String readers = running == requestedFlavor ? running.name().toLowerCase(Locale.ROOT)
                : running.name().toLowerCase(Locale.ROOT) + " (" + requestedFlavor.name().toLowerCase(Locale.ROOT)
                        + " asked for; " + domain.fastFlavorFallbackReason() + ")";
        return domain.name() + " (" + path.reason() + "): " + path.kind().summary() + "; readers: " + readers;
    }

    /**
     * Begins a read section; close the returned guard to end it, normally with
     * try-with-resources. Never blocks.
     *
     * <p>A {@code read()} that races with {@link #close()} may still begin a section after the
     * domain closed; such a section is harmless (the counters stay valid until the domain is
     * freed) but nothing waits for it.
     *
     * @return the guard whose {@link ReadGuard#close()} ends the section
     * @throws IllegalStateException when the domain is closed
     */
    public ReadGuard read() {
        // The common case first: a native-direct reader on its own home set. Closing the domain
        // takes every home set away (DirectReadSide.closed()), so this needs no closed check.
        int[] owners = directOwners;
        long section;
        SectionDepth depth;
        boolean onLockerSet;
        if (owners != null && DirectReadSide.ownsHomeSlot(owners)) {
            // [B] is inside: the lock increment comes before every access of the section.
            section = DirectReadSide.lockOnHomeSet(directHomeSets, directIdxWord);
            depth = null;
            onLockerSet = true;
        } else {
            section = lockOffHomeSet();
            boolean tracked = domain.tracksSection(section);
            depth = tracked ? null : enterDepth();
            onLockerSet = tracked && direct != null;
        }
        // One allocation for both branches: the JIT removes it when the caller's guard does not
        // escape (try-with-resources), which it cannot do for a guard made on one of two paths
        // that merge, and every thread takes the second path at least once (its first read).
        return traced(new ReadGuard(this, section, depth, onLockerSet));
    }

    /** {@link #read()}'s lock when the caller does not own a native-direct home set. */
    private long lockOffHomeSet() {
        // Plain: a racing close() may be missed (harmless, see above). It is never hoisted out
        // of a caller's loop of read sections, as every lock is a volatile read-modify-write or
        // a downcall the JIT cannot see through.
        if ((boolean) CLOSED.get(this)) {
            throw closedException("read()");
        }
        // [B] is inside the path's lock (a fence in the downcall, or a volatile read-modify-write
        // on the heap; see the class comment): the increment comes before every access of the
        // section.
        // On native-direct the home slot was tried above: go on from there, not from the start.
        return direct != null ? direct.lockOffHome() : domain.readLock();
    }

    /**
     * {@code guard}, whose section begins; in debug mode its origin is recorded first. A static
     * final test that the JIT folds: with debug mode off this is {@code guard} itself.
     */
    private ReadGuard traced(ReadGuard guard) {
        if (SectionOrigins.ENABLED) {
            observer.sectionBegan(guard);
        }
        return guard;
    }

    /** Debug mode: the section {@code key} (a guard or token) has ended. */
    void sectionEnded(Object key) {
        observer.sectionEnded(key);
    }

    /** The calling thread's depth in the sections its path does not track, one more. */
    private SectionDepth enterDepth() {
        SectionDepth depth = depths.get();
        depth.enter();
        return depth;
    }

    /**
     * Begins a read section that may end in another thread: pass the token to
     * {@link #unlock(ReadToken)}, from any thread. Never blocks. Such a section belongs to no
     * thread, so a {@code synchronize()} in this thread is not refused while it is open (it waits
     * for it). Prefer {@link #read()} for a section that ends where it began.
     *
     * @return the token that ends the section
     * @throws IllegalStateException when the domain is closed
     */
    public ReadToken lock() {
        if (closed) {
            throw closedException("lock()");
        }
        // [B] is in the path's lock (see the class comment).
        ReadToken token = new ReadToken(this, domain.readLockUntracked());
        if (SectionOrigins.ENABLED) {
            observer.sectionBegan(token);
        }
        return token;
    }

    /**
     * Ends the section {@code token} began, in any thread. The section's actions happen-before
     * the end of any grace period that waits for it ([C], as for {@link ReadGuard#close()}).
     *
     * @param token from this domain's {@link #lock()}
     * @throws NullPointerException     when {@code token} is null
     * @throws IllegalArgumentException when {@code token} belongs to another domain
     * @throws IllegalStateException    when the section was already ended
     */
    public void unlock(ReadToken token) {
        Objects.requireNonNull(token, "unlock: token is null");
        if (token.domain() != this) {
            throw new IllegalArgumentException("unlock: the token belongs to " + token.domain() + ", not to " + this);
        }
        if (!token.end()) {
            throw new IllegalStateException("unlock: the section was already ended: each lock() is ended by exactly one"
                    + " unlock()");
        }
        if (SectionOrigins.ENABLED) {
            observer.sectionEnded(token);
        }
        readUnlock(token.section(), false);
    }

    /**
     * Ends a read section; {@code onOwnSet}: a native-direct section counted on the home set of
     * the calling thread, which began it.
     */
    void readUnlock(long section, boolean onOwnSet) {
        // [C] is inside the path's unlock: the section's accesses come before the increment.
        if (onOwnSet) {
            DirectReadSide.unlockInLocker(section);
        } else {
            domain.readUnlock(section);
        }
        // This object (and its Cleaner) must outlive the downcall that uses its memory.
        Reference.reachabilityFence(this);
    }

    /**
     * Waits for a grace period: returns after every read section that began before this call
     * has ended (see the class comment for the happens-before edges). Read sections that begin
     * while it runs may or may not be waited for.
     *
     * @throws IllegalStateException when the domain is closed
     */
    public void synchronize() {
        synchronize(false, "synchronize()");
    }

    /**
     * As {@link #synchronize()}, with lower latency: on a domain no reader is in, the grace
     * period ends after one scan (except in the 16 after one that found readers busy in the
     * counters in use, which do not look there); otherwise it polls for readers without sleeping
     * for a few microseconds, then sleeps in short steps (a sixteenth of the wait so far, at most
     * 1 ms), on a platform thread with the timer slack lowered meanwhile. Same guarantees.
     *
     * @throws IllegalStateException when the domain is closed
     */
    public void synchronizeExpedited() {
        synchronize(true, "synchronizeExpedited()");
    }

    /**
     * As {@link #synchronize()}, but an interrupt ends the wait.
     *
     * @throws InterruptedException  when the thread is interrupted before or while it waits (the
     *                               grace period may still end later; nothing needs undoing)
     * @throws IllegalStateException as {@link #synchronize()}
     */
    public void synchronizeInterruptibly() throws InterruptedException {
        String operation = "synchronizeInterruptibly()";
        checkWaitAllowed(operation);
        try {
            awaitCookie(domain.getState(), ParkingWait.Pace.NORMAL, ParkingWait.FOREVER, operation);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #synchronize()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative: only check once
     * @return {@code true} when the grace period ended (the guarantees of {@code synchronize()}
     *         then hold), {@code false} when the time ran out first
     * @throws NullPointerException  when {@code timeout} is null
     * @throws InterruptedException  when the thread is interrupted before or while it waits
     * @throws IllegalStateException as {@link #synchronize()}
     */
    public boolean synchronize(Duration timeout) throws InterruptedException {
        long nanos = toNanos(timeout, "synchronize");
        String operation = "synchronize(Duration)";
        checkWaitAllowed(operation);
        try {
            return awaitCookie(domain.getState(), ParkingWait.Pace.NORMAL, nanos, operation);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * A future that completes once a full grace period that began after this call has ended:
     * every read section that began before this call has ended, and its actions, like those
     * before this call, happen-before the actions that depend on the future's completion. Never
     * blocks. The future completes on a worker thread of the shared pool (keep dependent actions short, or
     * use {@link #gracePeriodAsync(Executor)}); it is a callback queued with
     * {@link #callSrcu(Runnable)}, so {@link #barrier()} and {@link #close()} wait for it.
     *
     * @return a future that completes with {@code null} when the grace period has ended, and
     *         never exceptionally
     * @throws IllegalStateException when the domain is closed or closing
     */
    public CompletableFuture<Void> gracePeriodAsync() {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        callSrcu(() -> ended.complete(null));
        return ended;
    }

    /**
     * As {@link #gracePeriodAsync()}, completing on {@code executor}; if the executor refuses the
     * task, the future completes exceptionally with its exception.
     *
     * @param executor runs the future's completion, and so the dependent actions that name no
     *                 executor of their own
     * @return a future that completes with {@code null} on {@code executor} when the grace period
     *         has ended, or exceptionally with the executor's refusal
     * @throws NullPointerException  when {@code executor} is null
     * @throws IllegalStateException when the domain is closed or closing
     */
    public CompletableFuture<Void> gracePeriodAsync(Executor executor) {
        Objects.requireNonNull(executor, "gracePeriodAsync: executor is null");
        CompletableFuture<Void> ended = new CompletableFuture<>();
        callSrcu(() -> {
            try {
                executor.execute(() -> ended.complete(null));
            } catch (Throwable refused) {
                ended.completeExceptionally(refused);
            }
        });
        return ended;
    }

    private void synchronize(boolean expedited, String operation) {
        checkWaitAllowed(operation);
        try {
            // One call takes the cookie and makes the first step ([F], and [G] if it ended); an
            // expedited one ends an idle domain's grace period in one scan.
            long started = expedited ? domain.startAdvanceExpedited() : domain.startAdvance();
            awaitCookieUninterruptibly(started & ~1L, (started & 1) != 0,
                    expedited ? ParkingWait.Pace.EXPEDITED : ParkingWait.Pace.NORMAL, operation);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Drives the grace period {@code cookie} names to its end, parking between steps; the
     * interrupt status is kept. [G] is in the step that reports the end. The wait is observed
     * (statistics, JFR, stall warnings) as {@code operation}.
     */
    private void awaitCookieUninterruptibly(long cookie, boolean ended, ParkingWait.Pace pace, String operation) {
        boolean expedited = pace == ParkingWait.Pace.EXPEDITED;
        // The common case, no reader in the way, ends in the first step: no lambda, no clock read
        // and no wait object unless a recording wants the event.
        if (ended && !observer.recording()) {
            observer.waitEnded(expedited);
            return;
        }
        ObservedWait wait = observer.waitBegins(operation, expedited);
        if (!ended) {
            ParkingWait.awaitUninterruptibly(() -> domain.advance(cookie), pace, wait);
        }
        wait.ended();
    }

    /** As {@link #awaitCookieUninterruptibly}, interruptible and bounded; whether it ended. */
    private boolean awaitCookie(long cookie, ParkingWait.Pace pace, long timeoutNanos, String operation)
            throws InterruptedException {
        ObservedWait wait = observer.waitBegins(operation, pace == ParkingWait.Pace.EXPEDITED);
        boolean ended = ParkingWait.await(() -> domain.advance(cookie), pace, timeoutNanos, wait);
        if (ended) {
            wait.ended();
        }
        return ended;
    }

    /** The checks every wait for a grace period makes first. */
    private void checkWaitAllowed(String operation) {
        checkOpen(operation);
        refuseInsideOwnSection(operation);
    }

    /** A timeout in nanoseconds: negative ones count as zero, huge ones as forever. */
    private static long toNanos(Duration timeout, String operation) {
        Objects.requireNonNull(timeout, operation + ": timeout is null");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return ParkingWait.FOREVER;
        }
    }

    /**
     * A cookie naming the end of a grace period that starts after this call; starts none. Pass
     * it to {@link #poll(long)} or {@link #awaitGracePeriod(long)}. Once either reports it ended,
     * the guarantees of a {@link #synchronize()} called at this method's place hold.
     *
     * @return the cookie: an even number, meaningful to this domain only
     * @throws IllegalStateException when the domain is closed
     */
    public long getState() {
        checkOpen("getState()");
        try {
            return domain.getState();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #getState()}, and also makes sure such a grace period runs (on the domain's
     * worker), so that {@link #poll(long)} eventually returns {@code true} without anyone calling
     * {@code synchronize()}. Never blocks.
     *
     * @return the cookie, as {@link #getState()} returns it
     * @throws IllegalStateException when the domain is closed
     */
    public long startPoll() {
        checkOpen("startPoll()");
        try {
            return domain.startPoll();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Whether the grace period {@code cookie} names has ended. Takes no lock and never blocks.
     * When it returns {@code true}, every read section that began before the cookie was taken has
     * ended, and its actions happen-before this method returns. Works after {@link #close()}.
     *
     * @param cookie from {@link #getState()} or {@link #startPoll()} of this domain
     * @return {@code true} when the grace period has ended, {@code false} when it may not have
     * @throws IllegalArgumentException when {@code cookie} is odd (no cookie ever is)
     */
    public boolean poll(long cookie) {
        requireCookieShape(cookie);
        try {
            return domain.pollState(cookie);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Waits until the grace period {@code cookie} names has ended, running grace periods if
     * needed; returns at once when it already has. Then the guarantees of {@link #poll(long)}
     * returning {@code true} hold.
     *
     * @param cookie from {@link #getState()} or {@link #startPoll()} of this domain
     * @throws IllegalArgumentException when {@code cookie} was not handed out by this domain
     *                                  (odd, or later than any it has handed out)
     * @throws IllegalStateException    when the domain is closed and the grace period has not
     *                                  ended
     */
    public void awaitGracePeriod(long cookie) {
        try {
            if (!pendingCookie(cookie, "awaitGracePeriod()")) {
                return;
            }
            awaitCookieUninterruptibly(cookie, domain.advance(cookie), ParkingWait.Pace.NORMAL, "awaitGracePeriod()");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #awaitGracePeriod(long)}, waiting at most {@code timeout}; an interrupt ends the
     * wait.
     *
     * @param cookie  from {@link #getState()} or {@link #startPoll()} of this domain
     * @param timeout how long to wait at most; zero or negative: only check once
     * @return {@code true} when the grace period has ended, {@code false} when the time ran out
     * @throws NullPointerException     when {@code timeout} is null
     * @throws InterruptedException     when the thread is interrupted before or while it waits
     * @throws IllegalArgumentException as {@link #awaitGracePeriod(long)}
     * @throws IllegalStateException    as {@link #awaitGracePeriod(long)}
     */
    public boolean awaitGracePeriod(long cookie, Duration timeout) throws InterruptedException {
        long nanos = toNanos(timeout, "awaitGracePeriod");
        try {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!pendingCookie(cookie, "awaitGracePeriod(long, Duration)")) {
                return true;
            }
            return awaitCookie(cookie, ParkingWait.Pace.NORMAL, nanos, "awaitGracePeriod(long, Duration)");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Whether the grace period {@code cookie} names still has to be waited for: false when it has
     * ended ([G] in pollState); true after the checks a wait makes.
     */
    private boolean pendingCookie(long cookie, String operation) {
        requireCookieShape(cookie);
        if (domain.pollState(cookie)) {
            return false;
        }
        checkWaitAllowed(operation);
        // A cookie ahead of the one getState() would hand out now names a grace period no call
        // has asked for: waiting for it would run grace periods without end.
        long newest = domain.getState();
        if (cookie - newest > 0) {
            throw new IllegalArgumentException("cookie " + cookie + " was not handed out by this domain (the newest is "
                    + newest + ")");
        }
        return true;
    }

    private static void requireCookieShape(long cookie) {
        if ((cookie & 1) != 0) {
            throw new IllegalArgumentException("cookie " + cookie + " is odd: cookies from getState() and startPoll()"
                    + " are even");
        }
    }

    /**
     * Queues {@code callback} to run once, on a worker thread of the shared pool
     * ({@code srcu4j-worker-<n>}), after a grace period that begins after this call. Callbacks of
     * one domain run one at a time; those queued by one thread run in the order it queued them,
     * while callbacks of different threads run in no set order among themselves (threads that
     * call at the same time push on separate queues, so that they do not contend). Never blocks,
     * takes no lock and makes no native call: one compare-and-set claims a slot of an array the
     * callers allocate a few at a time (so the caller may hold any lock a callback needs: the
     * callback waits for it on the worker, never the caller). To run
     * something soon rather than after a grace period, use {@link Deferral#defer(Runnable)}.
     * Callbacks may call {@code callSrcu}, {@code read()} and {@code synchronize()} on this
     * domain, but not {@code barrier()} or {@code close()}; they may call those of another domain
     * (the pool hands the waiting worker's other domains to another worker meanwhile).
     *
     * @param callback what to run after the grace period
     * @throws NullPointerException  when {@code callback} is null
     * @throws IllegalStateException when the domain is closed or closing
     */
    public void callSrcu(Runnable callback) {
        Objects.requireNonNull(callback, "callSrcu: callback is null");
        checkOpen("callSrcu()");
        try {
            int rc = queue(callback);
            if (rc == -Errno.ESHUTDOWN) {
                throw closedException("callSrcu()");
            }
            check(rc, "s4j_call_srcu", "queueing a callback");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #callSrcu(Runnable)}, but {@code callback} runs on {@code executor}: after the
     * grace period the domain's worker hands it over with {@code executor.execute}, so a slow
     * callback does not hold up the ones behind it. Actions before this call happen-before
     * {@code callback.run()} (the worker's hand-over adds the executor's own happens-before edge,
     * which every {@link Executor} documents). If {@code executor} refuses the task, the
     * {@link java.util.concurrent.RejectedExecutionException} goes to the domain's
     * {@linkplain #setUncaughtExceptionHandler uncaught-exception handler}; {@link #barrier()}
     * waits for the hand-over, not for the task.
     *
     * @param callback what to run after the grace period
     * @param executor where to run it
     * @throws NullPointerException  when {@code callback} or {@code executor} is null
     * @throws IllegalStateException when the domain is closed or closing
     */
    public void callSrcu(Runnable callback, Executor executor) {
        Objects.requireNonNull(callback, "callSrcu: callback is null");
        Objects.requireNonNull(executor, "callSrcu: executor is null");
        callSrcu(() -> executor.execute(callback));
    }

    /**
     * Waits until every callback queued (every {@link #callSrcu} that returned) before this call
     * has run.
     *
     * @throws IllegalStateException when the domain is closed, or when called from one of its
     *                               own callbacks (it would wait for itself)
     */
    public void barrier() {
        CountDownLatch done = queueBarrier("barrier()");
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    done.await();   // [K] (j.u.c.: happens-before, no litmus)
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Reference.reachabilityFence(this);
        }
    }

    /**
     * As {@link #barrier()}, waiting at most {@code timeout}; an interrupt ends the wait.
     *
     * @param timeout how long to wait at most; zero or negative: only check once
     * @return {@code true} when every callback queued before has run, {@code false} when the time
     *         ran out first
     * @throws NullPointerException  when {@code timeout} is null
     * @throws InterruptedException  when the thread is interrupted before or while it waits
     * @throws IllegalStateException as {@link #barrier()}
     */
    public boolean barrier(Duration timeout) throws InterruptedException {
        long nanos = toNanos(timeout, "barrier");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            // [K] (j.u.c.: happens-before, no litmus)
            return queueBarrier("barrier(Duration)").await(nanos, TimeUnit.NANOSECONDS);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Queues a marker that runs after every callback queued so far, by any thread, and returns
     * the latch it opens; a latch wait parks, so a virtual thread unmounts. When close has begun, the latch is the one close
     * opens once its drain, which runs every earlier callback, has finished.
     */
    private CountDownLatch queueBarrier(String operation) {
        checkOpen(operation);
        refuseInsideOwnSection(operation);
        if (domain.onWorkerThread()) {
            throw fromOwnCallback(operation);
        }
        domain.callbacks().beforeWaitingForCallbacks();
        CountDownLatch done = new CountDownLatch(1);
        // [K] countDown() happens-before await() returns: the marker runs after the earlier
        // callbacks on the worker, so their actions are seen by the waiter.
        // (j.u.c.: happens-before, no litmus)
        int rc = domain.queueMarker(done::countDown);
        if (rc == -Errno.ESHUTDOWN) {
            return closedLatch;
        }
        check(rc, "queueMarker", "queueing the barrier's marker");
        return done;
    }

    /**
     * Queues {@code callback} on the path, counted for {@link #stats()} (one atomic add; one
     * callback at a time is timed); the path's result.
     */
    private int queue(Runnable callback) {
        Runnable task = observer.queueing(callback);
        int rc = domain.callSrcu(task);
        if (rc != 0) {
            observer.notQueued(task);
        }
        return rc;
    }

    /**
     * Closes the domain: refuses new callbacks and runs every callback already queued after a
     * grace period. Nothing queued is dropped; the calling thread parks while the pool drains it.
     * A second call (or one made
     * while another thread is closing) waits for the first to finish and then returns without
     * effect. The native memory is freed later, once this object is unreachable.
     *
     * @throws IllegalStateException when read sections of this domain are still open (the
     *                               message gives their number; the domain stays open and
     *                               usable), or when called from one of its own callbacks
     */
    @Override
    public void close() {
        // Checked before taking closeLock: the thread that holds it may be waiting for this very
        // callback to return.
        if (domain.onWorkerThread()) {
            throw fromOwnCallback("close()");
        }
        try {
            synchronized (closeLock) {
                if (closed) {
                    return;
                }
                int rc = domain.closeStart();
                if (rc == 0 || rc == -Errno.EALREADY) {
                    domain.callbacks().beforeWaitingForCallbacks();
                    // The drain (a grace period, then every queued callback) runs on the worker;
                    // this thread parks between polls. -EALREADY: an earlier close() started it
                    // and was stopped by an error; its drain goes on, so wait for that one.
                    ParkingWait.awaitUninterruptibly(this::closeFinished, ParkingWait.Pace.NORMAL,
                            ParkingWait.Watch.NONE);
                    closed = true;
                    closedLatch.countDown();
                    // Unregisters the MXBean and gives the name back.
                    observer.release();
                } else if (rc == -Errno.EBUSY) {
                    long open = domain.readersActive();
                    throw new IllegalStateException("cannot close " + name() + ": " + open + " read section"
                            + (open == 1 ? " is" : "s are") + " still open (" + Errno.describe(Errno.EBUSY)
                            + "); the domain stays open");
                } else if (rc == -Errno.EDEADLK) {
                    throw fromOwnCallback("close()");
                } else {
                    check(rc, "s4j_srcu_close", "closing the domain");
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Whether the drain close started has finished; throws on an error of the C library. */
    private boolean closeFinished() {
        int rc = domain.closePoll();
        check(rc, "s4j_srcu_close_poll", "waiting for the close's drain");
        return rc == 1;
    }

    /** {@return whether {@link #close()} has completed} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The number of read sections open now: a racy snapshot, for diagnostics. Works after
     * {@link #close()} too.
     *
     * @return how many read sections were open when the counters were summed
     */
    public long readersActive() {
        try {
            return domain.readersActive();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets who hears about exceptions thrown by this domain's callbacks; {@code null} restores
     * the default, the worker thread's own handler (which defers to
     * {@link Thread#getDefaultUncaughtExceptionHandler()} or prints the stack trace). The handler
     * runs on the worker thread; the worker goes on with the next callback afterwards.
     *
     * @param handler the handler, or {@code null} for the default
     */
    public void setUncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        domain.setUncaughtExceptionHandler(handler);
    }

    /**
     * {@return the handler set with {@link #setUncaughtExceptionHandler}, or {@code null} when
     * the default handles exceptions}
     */
    public Thread.UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return domain.getUncaughtExceptionHandler();
    }

    /** {@code Srcu[<path>, <flavor>, <name>]}, with {@code , closed} once closed. */
    @Override
    public String toString() {
        return "Srcu[" + domain.name() + ", " + flavor().name().toLowerCase(Locale.ROOT) + ", " + name()
                + (closed ? ", closed]" : "]");
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw closedException(operation);
        }
    }

    /** A wait for a grace period inside one's own read section would wait for itself. */
    private void refuseInsideOwnSection(String operation) {
        if (domain.insideOwnSection() || depths.get().inside()) {
            throw new IllegalStateException(operation + " called inside a read section of domain " + name() + " that"
                    + " the calling thread entered would wait for itself forever; leave the section first");
        }
    }

    /** A wait called from one of this domain's callbacks, which would wait for itself. */
    private IllegalStateException fromOwnCallback(String operation) {
        return new IllegalStateException(operation + " called from one of this domain's own callbacks (" + name()
                + ") would wait for itself (" + Errno.describe(Errno.EDEADLK) + ")");
    }

    private IllegalStateException closedException(String operation) {
        return new IllegalStateException(operation + ": domain closed (" + name() + ")");
    }

    private void check(int rc, String function, String detail) {
        if (rc < 0) {
            throw new Srcu4jException(function, -rc, detail + " of domain " + name());
        }
    }
}
