package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table invariants' SQL on H2: names checked before any I/O, values bound, messages exact. */
final class TableTest {

    private static Database.Opened opened;
    private static DataSource dataSource;

    @BeforeAll
    static void createTables() {
        opened = Database.H2.open(TableTest.class);
        dataSource = opened.dataSource();
        Database.execute(dataSource, "CREATE SCHEMA shop",
                "CREATE TABLE shop.stock (sku VARCHAR(20), warehouse VARCHAR(20), level DECIMAL(10, 2))",
                "INSERT INTO shop.stock VALUES ('A-1', 'north', 2.5), ('A-1', 'south', 1), ('B-2', 'north', 7)",
                "INSERT INTO shop.stock VALUES ('A-1', 'north', 0), ('B-2', 'north', 0), ('B-2', 'north', 0)");
    }

    @AfterAll
    static void dropTables() throws Exception {
        opened.drop().close();
    }

    @Test
    void shouldSumAColumnOverTheRowsThatMatchWithBoundValues() throws Exception {
        Table stock = Table.of(dataSource, "shop.stock");

        assertThat(check(stock.where("sku", "A-1").sumOf("level").isEqualTo(3.5))).isEmpty();
        assertThat(check(stock.where("sku", "A-1").where("warehouse", "north").sumOf("LEVEL").isEqualTo(2.5)))
                .isEmpty();
        assertThat(check(stock.where("sku", "x' OR '1'='1").sumOf("level").isEqualTo(0))).as("no rows, a bound value")
                .isEmpty();
        assertThat(check(stock.sumOf("level").isEqualTo(10))).hasValue(
                Violation.of("sum of level in shop.stock is 10.50 (expected 10)"));
        assertThat(check(stock.where("sku", "B-2").sumOf("level").staysWithin(0, 5))).hasValue(Violation.of(
                Anomaly.LIMIT_OVERRUN, "sum of level in shop.stock where sku = B-2 is 7.00 (expected within [0, 5])"));
    }

    @Test
    void shouldFindRowsRepeatingAKey() throws Exception {
        Table stock = Table.of(dataSource, "shop.stock");

        assertThat(check(stock.hasNoDuplicateRows("sku", "warehouse"))).hasValue(Violation.of(Anomaly.DUPLICATE,
                "2 keys repeated in shop.stock by (sku, warehouse): (A-1, north) x2, (B-2, north) x3 (expected none)"));
        assertThat(check(stock.where("sku", "A-1").hasNoDuplicateRows("sku", "warehouse"))).hasValue(Violation.of(
                Anomaly.DUPLICATE, "1 key repeated in shop.stock where sku = A-1 by (sku, warehouse): (A-1, north) x2"
                        + " (expected none)"));
        assertThat(check(stock.where("warehouse", "south").hasNoDuplicateRows("sku"))).isEmpty();
    }

    @Test
    void shouldCountTheRowsThatMatchWithBoundValues() throws Exception {
        Table stock = Table.of(dataSource, "shop.stock");

        assertThat(check(stock.rowCount().isExactly(6))).isEmpty();
        assertThat(check(stock.where("sku", "B-2").rowCount().isAtMost(3))).isEmpty();
        assertThat(check(stock.where("sku", "x' OR '1'='1").rowCount().isExactly(0))).as("no rows, a bound value")
                .isEmpty();
        assertThat(check(stock.where("sku", "A-1").where("warehouse", "north").rowCount().isAtMost(1))).hasValue(
                Violation.of(Anomaly.DUPLICATE, "2 rows in shop.stock where sku = A-1 and warehouse = north"
                        + " (expected at most 1)"));
        assertThat(check(stock.where("sku", "B-2").rowCount().isExactly(2))).hasValue(
                Violation.of(Anomaly.LIMIT_OVERRUN, "3 rows in shop.stock where sku = B-2 (expected exactly 2)"));
        assertThat(check(stock.where("warehouse", "south").rowCount().isExactly(2))).hasValue(
                Violation.of("1 row in shop.stock where warehouse = south (expected exactly 2)"));
    }

    @Test
    void shouldDescribeWhatItChecks() {
        Table stock = Table.of(dataSource, "shop.stock").where("sku", "A-1");

        assertThat(stock.hasNoDuplicateRows("warehouse").description())
                .isEqualTo("no duplicate rows in shop.stock where sku = A-1 by (warehouse)");
        assertThat(stock.sumOf("level").staysWithin(0, 10).description())
                .isEqualTo("sum of level in shop.stock where sku = A-1 within [0, 10]");
        assertThat(stock.sumOf("level").isConserved().description())
                .isEqualTo("sum of level in shop.stock where sku = A-1 conserved");
        assertThat(stock.rowCount().isAtMost(1).description()).isEqualTo("at most 1 row in shop.stock where sku = A-1");
        assertThat(stock.rowCount().isExactly(3).description())
                .isEqualTo("exactly 3 rows in shop.stock where sku = A-1");
    }

    @Test
    void shouldRefuseAnythingButANameBeforeAnyIo() {
        for (String table : List.of("", "stock;", "1stock", "shop.stock.level", "shop.", "\"stock\"", "stock where 1=1",
                "s".repeat(129))) {
            assertThatThrownBy(() -> Table.of(dataSource, table)).as(table).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("table must be [A-Za-z_][A-Za-z0-9_]*");
        }
        Table stock = Table.of(dataSource, "Shop.Stock_2");
        for (String column : List.of("", "level)", "a.b", "level --", "count(*)")) {
            assertThatThrownBy(() -> stock.sumOf(column)).as(column).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("column must be [A-Za-z_][A-Za-z0-9_]*");
            assertThatThrownBy(() -> stock.hasNoDuplicateRows("sku", column))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stock.where(column, 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Table.of(null, "stock")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stock.where("sku", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stock.sumOf("level").staysWithin(5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min must be <= max, was 5 > 1");
        assertThatThrownBy(() -> stock.sumOf("level").isEqualTo(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stock.rowCount().isAtMost(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 0, was -1");
    }

    private static Optional<Violation> check(Invariant<Object> invariant) throws Exception {
        return invariant.beforeRound().afterRound(Round.measured(1, List.of(CallResult.returned(0, "done", 0, 1, -1))));
    }
}
