package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** The per-body limit and the server-wide budget, without a server. */
class RequestBodiesTest {

  @Test
  void refusesMoreBodiesAtOnceThanTwiceTheLimitAndFreesWhatAFinishedRequestHeld() throws Exception {
    RequestBodies bodies = new RequestBodies(1_000);
    RequestBodies.Lease first = bodies.lease();
    RequestBodies.Lease second = bodies.lease();
    assertThat(first.read(new ByteArrayInputStream(new byte[1_000]), 1_000, "as sent")).hasSize(1_000);
    assertThat(second.read(new ByteArrayInputStream(new byte[900]), 900, "as sent")).hasSize(900);

    RequestBodies.Lease third = bodies.lease();
    assertThatThrownBy(() -> third.read(new ByteArrayInputStream(new byte[101]), 101, "as sent"))
        .isInstanceOfSatisfying(ClickHouseException.class, e -> {
          assertThat(e.code()).isEqualTo(241);
          assertThat(e.httpStatus()).isEqualTo(503);
        });
    third.close();
    first.close();
    RequestBodies.Lease fourth = bodies.lease();
    assertThat(fourth.read(new ByteArrayInputStream(new byte[1_000]), -1, "as sent")).hasSize(1_000);
  }

  @Test
  void refusesOneByteOverTheLimitWithTooManyBytes() {
    RequestBodies bodies = new RequestBodies(1_000);
    assertThatThrownBy(() -> bodies.lease().read(new ByteArrayInputStream(new byte[1_001]), -1, "as sent"))
        .isInstanceOfSatisfying(ClickHouseException.class, e -> {
          assertThat(e.code()).isEqualTo(307);
          assertThat(e.httpStatus()).isEqualTo(413);
          assertThat(e.getMessage()).isEqualTo("Code: 307. DB::Exception: The request body (as sent) is larger than"
              + " the limit of 1000 bytes (--max-body-bytes). (TOO_MANY_BYTES)");
        });
    assertThatThrownBy(() -> bodies.checkDeclared(1_001)).isInstanceOf(ClickHouseException.class);
    assertThatThrownBy(() -> new RequestBodies(0)).hasMessageContaining("maxBodyBytes must be within 1..");
  }
}
