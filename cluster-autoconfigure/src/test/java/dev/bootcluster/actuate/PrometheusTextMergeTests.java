package dev.bootcluster.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrometheusTextMerge}.
 */
class PrometheusTextMergeTests {

	private static final String WORKER_1 = """
			# HELP http_requests_total Requests
			# TYPE http_requests_total counter
			http_requests_total{uri="/a"} 3.0
			http_requests_total{uri="/b"} 1.0
			# HELP cluster_workers Worker processes in each state
			# TYPE cluster_workers gauge
			cluster_workers{state="READY"} 3.0
			# HELP jvm_threads_live_threads Live threads
			# TYPE jvm_threads_live_threads gauge
			jvm_threads_live_threads 20.0
			# HELP latency_seconds Latency
			# TYPE latency_seconds histogram
			latency_seconds_bucket{le="+Inf"} 2
			latency_seconds_count 2
			latency_seconds_sum 0.5
			""";

	private static final String WORKER_2 = """
			# HELP jvm_threads_live_threads Live threads
			# TYPE jvm_threads_live_threads gauge
			jvm_threads_live_threads 25.0
			# HELP cluster_workers Worker processes in each state
			# TYPE cluster_workers gauge
			cluster_workers{state="READY"} 2.0
			# HELP http_requests_total Requests
			# TYPE http_requests_total counter
			http_requests_total{} 7.0
			# HELP latency_seconds Latency
			# TYPE latency_seconds histogram
			latency_seconds_bucket{le="+Inf"} 1
			latency_seconds_count 1
			latency_seconds_sum 0.25
			""";

	@Test
	void groupsEveryFamilyUnderOneHeaderAndTagsEachSampleWithItsWorker() {
		String merged = new PrometheusTextMerge(ClusterMetrics::isClusterWide).add(1, WORKER_1).add(2, WORKER_2).text();
		assertThat(merged).isEqualTo("""
				# HELP http_requests_total Requests
				# TYPE http_requests_total counter
				http_requests_total{worker="1",uri="/a"} 3.0
				http_requests_total{worker="1",uri="/b"} 1.0
				http_requests_total{worker="2"} 7.0
				# HELP cluster_workers Worker processes in each state
				# TYPE cluster_workers gauge
				cluster_workers{state="READY"} 3.0
				# HELP jvm_threads_live_threads Live threads
				# TYPE jvm_threads_live_threads gauge
				jvm_threads_live_threads{worker="1"} 20.0
				jvm_threads_live_threads{worker="2"} 25.0
				# HELP latency_seconds Latency
				# TYPE latency_seconds histogram
				latency_seconds_bucket{worker="1",le="+Inf"} 2
				latency_seconds_count{worker="1"} 2
				latency_seconds_sum{worker="1"} 0.5
				latency_seconds_bucket{worker="2",le="+Inf"} 1
				latency_seconds_count{worker="2"} 1
				latency_seconds_sum{worker="2"} 0.25
				""");
	}

	@Test
	void aSeriesThatTwoProcessesOfOneSlotReportAppearsOnce() {
		String merged = new PrometheusTextMerge(ClusterMetrics::isClusterWide).add(1, WORKER_1)
			.add(1, WORKER_1.replace("20.0", "21.0"))
			.text();
		assertThat(merged).containsOnlyOnce("jvm_threads_live_threads{worker=\"1\"}")
			.contains("jvm_threads_live_threads{worker=\"1\"} 20.0");
	}

	@Test
	void clusterWideFamiliesAreTheMetersOfClusterMetrics() {
		assertThat(ClusterMetrics.isClusterWide("cluster_workers")).isTrue();
		assertThat(ClusterMetrics.isClusterWide("cluster_reloads_total")).isTrue();
		assertThat(ClusterMetrics.isClusterWide("cluster_metrics_scrape_missed_total")).isFalse();
		assertThat(ClusterMetrics.isClusterWide("http_server_requests_seconds")).isFalse();
	}

}
