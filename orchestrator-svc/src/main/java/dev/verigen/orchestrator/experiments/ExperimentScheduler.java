package dev.verigen.orchestrator.experiments;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One thread that advances every running experiment each tick (or at once when an experiment is created or
 * resumed). Experiments are coordinated through row locks, so several orchestrators may all run this loop.
 */
@Component
public class ExperimentScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExperimentScheduler.class);

    private final ExperimentRepository experiments;
    private final ExperimentDriver driver;
    private final ExperimentProperties properties;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private volatile boolean running;
    private boolean pending;
    private Thread thread;

    public ExperimentScheduler(ExperimentRepository experiments, ExperimentDriver driver,
                               ExperimentProperties properties) {
        this.experiments = experiments;
        this.driver = driver;
        this.properties = properties;
    }

    public void wake() {
        lock.lock();
        try {
            pending = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("experiments").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(properties.tickInterval().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                for (var id : experiments.running()) {
                    if (!running) {
                        break;
                    }
                    driver.advance(id);
                }
            } catch (RuntimeException e) {
                log.warn("experiment tick failed; retrying next tick: {}", e.toString());
            }
            awaitTick();
        }
    }

    private void awaitTick() {
        lock.lock();
        try {
            if (!pending && running) {
                woken.await(properties.tickInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
