package dev.bootcluster.worker;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Gives each request the real client's address that {@link ProxyProtocolNioEndpoint} read
 * from the primary's PROXY header, as {@code request.getRemoteAddr()} (and
 * {@code getRemoteHost()}) — what {@code RemoteIpValve} does for {@code X-Forwarded-For}.
 */
public class ProxiedClientValve extends ValveBase {

	public ProxiedClientValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		String client = ProxiedClients.get(request.getRemotePort());
		if (client != null) {
			request.setRemoteAddr(client);
			request.setRemoteHost(client);
		}
		getNext().invoke(request, response);
	}

}
