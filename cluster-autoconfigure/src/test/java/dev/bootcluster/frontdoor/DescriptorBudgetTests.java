package dev.bootcluster.frontdoor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorBudgetTests {

	@Test
	void twoDescriptorsPerConnectionAfterTheReserve() {
		// 1024 - 128 - 4 × 8 workers = 864 spare: 432 connections
		assertThat(DescriptorBudget.maxConnections(1024, 8)).isEqualTo(432);
		assertThat(DescriptorBudget.maxConnections(1_048_576, 8)).isEqualTo(524_208);
	}

	@Test
	void atLeastOneConnectionHoweverLowTheLimit() {
		assertThat(DescriptorBudget.maxConnections(64, 8)).isOne();
	}

	@Test
	void thisProcessHasALimit() {
		assertThat(DescriptorBudget.maxConnections(8)).isPositive();
	}

}
