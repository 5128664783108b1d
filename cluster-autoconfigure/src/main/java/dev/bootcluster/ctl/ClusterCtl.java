package dev.bootcluster.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.bootcluster.channel.ClusterRuntime;
import dev.bootcluster.channel.ControlClient;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.Reply;
import dev.bootcluster.ctl.CtlCommand.UsageException;

import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar app.jar --cluster.ctl=<command>}: finds this application's running
 * cluster on this host (its runtime directory, readable by its owner only), asks its
 * primary over the control socket, prints the answer and ends with an exit code: 0 done,
 * 1 refused or unreachable, 2 a bad command line. It never starts the application.
 * <p>
 * Threads: the main thread only.
 */
public final class ClusterCtl {

	/** Exit code: the primary did it, or answered. */
	static final int OK = 0;

	/** Exit code: no cluster, no answer, or the primary refused. */
	static final int FAILED = 1;

	/** Exit code: the command line asks nothing this knows. */
	static final int USAGE = 2;

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

	private final String application;

	private final List<ClusterRuntime> running;

	private final PrintStream out;

	private final PrintStream err;

	ClusterCtl(String application, List<ClusterRuntime> running, PrintStream out, PrintStream err) {
		this.application = application;
		this.running = running;
		this.out = out;
		this.err = err;
	}

	/**
	 * Whether the command line asks for {@code cluster.ctl} rather than the application.
	 */
	public static boolean isAsked(String[] args) {
		return CtlCommand.isAsked(args);
	}

	/**
	 * Runs the command in {@code args} against the running cluster of {@code application}
	 * (its main class).
	 * @return the process exit code
	 */
	public static int run(String[] args, String application) {
		return new ClusterCtl(application, ClusterRuntime.running(), System.out, System.err).run(args);
	}

	int run(String[] args) {
		CtlCommand command;
		try {
			command = CtlCommand.parse(args);
		}
		catch (UsageException ex) {
			this.err.println(ex.getMessage());
			this.err.println(CtlCommand.USAGE);
			return USAGE;
		}
		if (command.action() == CtlCommand.Action.LOGS) {
			this.out.println("The cluster keeps no logs: every worker writes to the primary's stdout and stderr "
					+ "(cluster.worker.log-prefix=true marks each line with its worker). Read them where the primary's "
					+ "output goes: journalctl -u <unit>, docker logs <container>, kubectl logs <pod>.");
			return OK;
		}
		ClusterRuntime cluster = find(command);
		if (cluster == null) {
			return FAILED;
		}
		try (ControlClient client = ControlClient.connect(cluster, ANSWER_TIMEOUT)) {
			return ask(client, command);
		}
		catch (AccessDeniedException ex) {
			this.err.println("Only the user who started the cluster may control it: cannot read " + ex.getFile());
		}
		catch (IOException ex) {
			this.err.println("Cluster of " + cluster.application() + " (primary pid " + cluster.primaryPid() + "): "
					+ ex.getMessage());
		}
		return FAILED;
	}

	private int ask(ControlClient client, CtlCommand command) throws IOException {
		String trigger = "cluster.ctl (pid " + ProcessHandle.current().pid() + ")";
		Message answer = switch (command.action()) {
			case STATUS -> client.ask(Message.Type.QUERY);
			case RELOAD -> client.ask(Message.Type.RELOAD, trigger);
			case RESTART -> client.ask(Message.Type.RESTART, command.operand());
			case SCALE -> client.ask(Message.Type.SCALE, command.operand(), trigger);
			case UPGRADE -> client.ask(Message.Type.UPGRADE, trigger);
			case LOGS -> throw new IllegalStateException("answered without the primary");
		};
		if (answer.type() == Message.Type.STATUS) {
			this.out.print(command.json() ? CtlJson.status(answer.status()) : StatusTable.of(answer.status()));
			this.out.println();
			return OK;
		}
		Reply reply = answer.reply();
		boolean done = reply.outcome() == Reply.Outcome.ACCEPTED || reply.outcome() == Reply.Outcome.DONE;
		if (command.json()) {
			this.out.println(CtlJson.reply(reply));
		}
		else {
			(done ? this.out : this.err)
				.println(((reply.reloadId() != null) ? reply.reloadId() + ": " : "") + reply.message()
						+ ((reply.outcome() == Reply.Outcome.ACCEPTED) ? "; watch it with --cluster.ctl=status" : ""));
		}
		return done ? OK : FAILED;
	}

	/**
	 * The cluster the command means: the one with {@code --pid}, or the only one of this
	 * application; says why there is none, or which to pick.
	 */
	private @Nullable ClusterRuntime find(CtlCommand command) {
		Long pid = command.pid();
		if (pid != null) {
			for (ClusterRuntime cluster : this.running) {
				if (cluster.primaryPid() == pid) {
					return cluster;
				}
			}
			this.err.println("No running cluster of this user has a primary with pid " + pid + describeRunning());
			return null;
		}
		List<ClusterRuntime> mine = this.running.stream()
			.filter((cluster) -> cluster.application().equals(this.application))
			.toList();
		if (mine.size() == 1) {
			return mine.get(0);
		}
		if (mine.isEmpty()) {
			this.err.println("No running cluster of " + this.application + " for this user in "
					+ System.getProperty("java.io.tmpdir") + describeRunning());
		}
		else {
			this.err.println(mine.size() + " clusters of " + this.application + " are running; pick one with --pid: "
					+ mine.stream().map(ClusterCtl::describe).collect(Collectors.joining(", ")));
		}
		return null;
	}

	private String describeRunning() {
		return this.running.isEmpty() ? "" : " (running: "
				+ this.running.stream().map(ClusterCtl::describe).collect(Collectors.joining(", ")) + ")";
	}

	private static String describe(ClusterRuntime cluster) {
		return cluster.application() + " with primary pid " + cluster.primaryPid();
	}

}
