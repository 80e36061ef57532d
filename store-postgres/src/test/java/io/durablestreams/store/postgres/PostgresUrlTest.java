package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void libpqUrisBecomeJdbcUrlsWithCredentialsApart() {
        PostgresUrl u = PostgresUrl.parse("postgresql://ds:s%40cret@db.example:5433/streams?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/streams?sslmode=require");
        assertThat(u.user()).isEqualTo("ds");
        assertThat(u.password()).isEqualTo("s@cret");
        assertThat(u.toString()).doesNotContain("cret");

        PostgresUrl plain = PostgresUrl.parse("postgres://localhost/ds");
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/ds");
        assertThat(plain.user()).isNull();
        assertThat(plain.password()).isNull();

        assertThat(PostgresUrl.parse("jdbc:postgresql://h:1/d").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/d");
        assertThat(PostgresUrl.parse("postgresql://u:a+b@h/d").password()).isEqualTo("a+b");
    }

    @Test
    void malformedUrlsAreRefusedWithAReason() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://h/d")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h")).hasMessageContaining("no database");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///d")).hasMessageContaining("no host");
        assertThatThrownBy(() -> PostgresUrl.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h d/x")).hasMessageContaining("not a URI");
    }
}
