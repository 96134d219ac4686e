package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ConnectionSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.explore.support.JobExplorerFactoryBean;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.launch.support.TaskExecutorJobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JobRepositoryFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Spring Batch's plumbing, wired by hand (plain Spring, no container needed for one job): a small connection pool,
 * the JDBC transaction manager the chunks commit through, and the JobRepository in the same PostgreSQL database as
 * the data, so a chunk's rows and its restart point commit in one transaction.
 */
public final class BatchInfrastructure implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcTransactionManager transactionManager;
    private final JobRepository jobRepository;
    private final JobExplorer jobExplorer;
    private final JobLauncher jobLauncher;

    private BatchInfrastructure(HikariDataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        this.transactionManager = new JdbcTransactionManager(dataSource);

        JobRepositoryFactoryBean repository = new JobRepositoryFactoryBean();
        repository.setDataSource(dataSource);
        repository.setTransactionManager(transactionManager);
        repository.setDatabaseType("POSTGRES");
        repository.afterPropertiesSet();
        this.jobRepository = repository.getObject();

        JobExplorerFactoryBean explorer = new JobExplorerFactoryBean();
        explorer.setDataSource(dataSource);
        explorer.setTransactionManager(transactionManager);
        explorer.afterPropertiesSet();
        this.jobExplorer = explorer.getObject();

        TaskExecutorJobLauncher launcher = new TaskExecutorJobLauncher(); // runs the job on the calling thread
        launcher.setJobRepository(jobRepository);
        launcher.afterPropertiesSet();
        this.jobLauncher = launcher;
    }

    /** Connects, and creates Spring Batch's tables unless they exist (call with the {@link LoadLock} held). */
    public static BatchInfrastructure connect(ConnectionSettings db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setPoolName("etl");
        config.setMaximumPoolSize(8); // two file steps, two index builds, the job repository and lookups
        config.setMinimumIdle(1);
        // Safe here, and it saves a WAL flush per chunk: a chunk's rows and its restart point commit in one
        // transaction, so a server crash can only lose the last chunks as a whole, and the restart redoes them.
        config.setConnectionInitSql("SET synchronous_commit = off");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            createBatchSchemaIfMissing(dataSource);
            return new BatchInfrastructure(dataSource);
        } catch (Exception e) {
            dataSource.close();
            throw new IllegalStateException("cannot set up Spring Batch on " + db, e);
        }
    }

    private static void createBatchSchemaIfMissing(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('batch_job_instance') IS NOT NULL")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"))
                .execute(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTransactionManager transactionManager() {
        return transactionManager;
    }

    public JobRepository jobRepository() {
        return jobRepository;
    }

    public JobExplorer jobExplorer() {
        return jobExplorer;
    }

    public JobLauncher jobLauncher() {
        return jobLauncher;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
