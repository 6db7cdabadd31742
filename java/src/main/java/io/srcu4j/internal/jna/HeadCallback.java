package io.srcu4j.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * {@code s4j_srcu_callback_fn} for JNA: called on a domain's native worker thread with the head
 * that was queued. Public because JNA calls it through reflection.
 */
public interface HeadCallback extends Callback {

    /** Runs the callback queued with {@code head}. */
    void invoke(Pointer head);
}
