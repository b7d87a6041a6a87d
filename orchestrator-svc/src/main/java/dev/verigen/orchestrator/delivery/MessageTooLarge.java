package dev.verigen.orchestrator.delivery;

/** The job a run would send is larger than the broker accepts: the run fails with this, naming both sizes. */
public final class MessageTooLarge {

    public static final String CODE = "message_too_large";

    private MessageTooLarge() {
    }

    public static String detail(String what, int bytes, int limit) {
        return "the " + what + " job is " + bytes + " bytes, over the " + limit
                + "-byte message limit (verigen.orchestrator.delivery.max-message-bytes); send fewer or shorter candidates";
    }
}
