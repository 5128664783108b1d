package dev.bootcluster.worker;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol on a {@link ProxyProtocolNioEndpoint}; named by class in
 * the connector, as Tomcat expects.
 */
public class ProxyProtocolHttp11NioProtocol extends Http11NioProtocol {

	public ProxyProtocolHttp11NioProtocol() {
		super(new ProxyProtocolNioEndpoint());
	}

}
