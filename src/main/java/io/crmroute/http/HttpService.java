package io.crmroute.http;

/** A group of endpoints that registers its paths, like Helidon SE's {@code HttpService}. */
public interface HttpService {

    void routing(HttpRouting.Builder routing);
}
